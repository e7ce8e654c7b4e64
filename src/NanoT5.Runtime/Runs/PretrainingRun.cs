// The pretraining entry point, read like nanoT5's main.py: config -> environment -> tokenizer -> model ->
// optimizer -> data -> train (TrainingRun: resume, tracker, loop, export).
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Data.Pipeline;
using NanoT5.Data.Sources;
using NanoT5.Data.Tokenizers;
using NanoT5.Model;
using NanoT5.Optim;
using NanoT5.Training;

namespace NanoT5.Runs;

/// <summary>Runs the pretrain mode of an experiment, and evaluate on pretraining data.</summary>
public static class PretrainingRun
{
    /// <summary>Pretrains as <paramref name="config"/> says; returns the process exit code (cancelling <paramref name="stop"/> interrupts it like SIGINT).</summary>
    public static int Pretrain(ExperimentConfig config, IReadOnlyList<ITrainingCallback>? callbacks = null, TimeProvider? time = null, CancellationToken stop = default)
    {
        RunEnvironment environment = RunEnvironment.Prepare(config);
        T5LayoutTokenizer tokenizer = TextTokenizerFactory.Create(config.Tokenizer);
        var store = new TrainingCheckpointStore(config.RunDirectory, config.Checkpoint.KeepLast);
        StoredCheckpoint? resume = TrainingRun.FindResumePoint(config, store);

        using T5ForConditionalGeneration model = ModelFactory.Create(config, tokenizer, environment.Device);
        using IOptimizer optimizer = OptimizerFactory.Create(config.Optim, model.named_parameters());

        var warnings = TextWriterWarningSink.StandardError;
        using var train = new PretrainingSource(PretrainingPipeline.ForTraining(
            config, tokenizer, warnings, resume is null ? null : PipelineState.FromBytes(resume.ReadDataState())));
        ValidationBatches validation = ValidationBatches.ForEvaluation(config, tokenizer, warnings);

        return TrainingRun.Train(config, environment, tokenizer, store, resume, new TrainingRunParts
        {
            Model = model,
            Optimizer = optimizer,
            TotalSteps = config.Optim.TotalSteps,
            Train = train,
            Validation = () => validation.Batches().Select(PretrainingSource.ToTrainingBatch),
        }, callbacks, time ?? TimeProvider.System, stop);
    }

    /// <summary>Loss (NLL) and token accuracy of the run's latest checkpoint (or model.init_from) on eval.steps validation batches.</summary>
    public static int Evaluate(ExperimentConfig config)
    {
        RunEnvironment environment = RunEnvironment.Prepare(config);
        T5LayoutTokenizer tokenizer = TextTokenizerFactory.Create(config.Tokenizer);
        using TrainedModel trained = TrainingRun.LoadTrainedModel(config, tokenizer, environment.Device, "evaluate");
        ValidationBatches validation = ValidationBatches.ForEvaluation(config, tokenizer, TextWriterWarningSink.StandardError);
        return TrainingRun.EvaluateOnce(config, environment, trained, validation.Batches().Select(PretrainingSource.ToTrainingBatch));
    }
}
