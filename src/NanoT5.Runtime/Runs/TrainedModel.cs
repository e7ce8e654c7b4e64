// The model evaluate, predict and export work on: what the run trained, else the weights it names.
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Model;
using static TorchSharp.torch;

namespace NanoT5.Runs;

/// <summary>A model loaded for evaluate or predict: where its weights came from and the training step they are from (0 when not this run's).</summary>
public sealed record TrainedModel(T5ForConditionalGeneration Model, string Source, long Step) : IDisposable
{
    /// <summary>
    /// The run folder's latest checkpoint (what this experiment trained), else model.init_from. A fine-tuning
    /// experiment names its starting weights in init_from, so its run folder must win. <paramref name="verb"/> names
    /// the verb in the message when there are no weights.
    /// </summary>
    public static TrainedModel Load(ExperimentConfig config, ITextTokenizer tokenizer, Device device, string verb)
    {
        ArgumentNullException.ThrowIfNull(config);
        StoredCheckpoint? latest = new TrainingCheckpointStore(config.RunDirectory, config.Checkpoint.KeepLast).FindLatest(m => Console.Error.WriteLine($"warning: {m}"));
        if (latest is null && string.IsNullOrWhiteSpace(config.Model.InitFrom))
        {
            throw new InvalidDataException(
                $"{verb} needs weights: point run_directory at a run with checkpoints ({Path.GetFullPath(config.RunDirectory)} has none), or set model.init_from (a HF checkpoint or run folder).");
        }

        string source = latest?.Directory ?? config.Model.InitFrom!;
        T5ForConditionalGeneration model = ModelFactory.Create(config with { Model = config.Model with { InitFrom = source } }, tokenizer, device);
        return new TrainedModel(model, source, latest?.Step ?? 0);
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
