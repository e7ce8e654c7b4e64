// The pretraining entry point, read like nanoT5's main.py: config -> environment -> tokenizer -> resume point, model,
// optimizer (RunParts) -> data -> train (TrainingRun: restore, tracker, loop, export).
using NanoT5.Config;
using NanoT5.Data.Pipeline;
using NanoT5.Data.Sources;
using NanoT5.Data.Tokenizers;
using NanoT5.Training;

namespace NanoT5.Runs;

/// <summary>Runs the pretrain mode of an experiment, and evaluate on pretraining data.</summary>
public static class PretrainingRun
{
    /// <summary>
    /// Pretrains as <paramref name="config"/> says, reporting to <paramref name="console"/> (the process's unless given);
    /// returns the process exit code (cancelling <paramref name="stop"/> interrupts it like SIGINT).
    /// </summary>
    public static int Pretrain(ExperimentConfig config, IReadOnlyList<ITrainingCallback>? callbacks = null, TimeProvider? time = null, RunConsole? console = null, CancellationToken stop = default)
    {
        RunEnvironment environment = RunEnvironment.Prepare(config);
        console ??= RunConsole.Standard;
        T5LayoutTokenizer tokenizer = TextTokenizerFactory.Create(config.Tokenizer);
        using RunParts parts = RunParts.Build(config, tokenizer, environment, console.Error);

        var warnings = TextWriterWarningSink.StandardError;
        using var train = new PretrainingSource(PretrainingPipeline.ForTraining(
            config, tokenizer, warnings, parts.DataState is byte[] data ? PipelineState.FromBytes(data) : null));
        ValidationBatches validation = ValidationBatches.ForEvaluation(config, tokenizer, warnings);

        TrainingRunParts loop = parts.ForLoop(config.Optim.TotalSteps, train, () => validation.Batches().Select(PretrainingSource.ToTrainingBatch));
        return new TrainingRun(config, environment, tokenizer, parts, loop, console)
        {
            Callbacks = callbacks ?? [],
            Time = time ?? TimeProvider.System,
        }.Run(stop);
    }

    /// <summary>Loss (NLL) and token accuracy of the run's latest checkpoint (or model.init_from) on eval.steps validation batches.</summary>
    public static int Evaluate(ExperimentConfig config)
    {
        RunEnvironment environment = RunEnvironment.Prepare(config);
        T5LayoutTokenizer tokenizer = TextTokenizerFactory.Create(config.Tokenizer);
        using TrainedModel trained = TrainedModel.Load(config, tokenizer, environment.Device, "evaluate");
        ValidationBatches validation = ValidationBatches.ForEvaluation(config, tokenizer, TextWriterWarningSink.StandardError);
        return Measurement.Evaluate(config, environment, trained, validation.Batches().Select(PretrainingSource.ToTrainingBatch));
    }
}
