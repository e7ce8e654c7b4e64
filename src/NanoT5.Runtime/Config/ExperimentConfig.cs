// The typed, immutable configuration of one run. It flows one way: .t5proj properties are validated
// by the SDK and generated into this record (or a JSON file is read into it), then the runtime reads it.
// Defaults are nanoT5's (configs/default.yaml and task/pt.yaml).
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>Everything a run needs to know; run state (step, data position, RNG) lives elsewhere.</summary>
public sealed record ExperimentConfig
{
    /// <summary>Experiment name: names the run folder and the tracker run.</summary>
    public string Name { get; init; } = "experiment";

    /// <summary>What the run does.</summary>
    public RunMode Mode { get; init; } = SettingTable.Mode.EnumDefault<RunMode>();

    /// <summary>Seed of init, data order and span corruption (nanoT5: 2137).</summary>
    public int Seed { get; init; } = SettingTable.Seed.IntegerDefault;

    /// <summary>cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = SettingTable.Device.DefaultText;

    /// <summary>Intra-op CPU threads; 0 = all cores.</summary>
    public int Threads { get; init; } = SettingTable.Threads.IntegerDefault;

    /// <summary>Numeric precision (nanoT5 pretrains in bf16 on GPUs; fp32 is the CPU choice).</summary>
    public Precision Precision { get; init; } = SettingTable.Precision.EnumDefault<Precision>();

    /// <summary>
    /// Folder with a user's own libtorch and TorchSharp's shim built against it (eng/build-libtorchsharp.sh), for
    /// programs built with NanoT5Backend=libtorch; empty = --libtorch or NANOT5_LIBTORCH, else the NuGet natives.
    /// </summary>
    public string LibTorch { get; init; } = SettingTable.LibTorch.DefaultText;

    /// <summary>Folder of this run: resolved config, metrics, checkpoints, exported model.</summary>
    public string RunDirectory { get; init; } = "runs/experiment";

    public ModelSettings Model { get; init; } = new();

    public TokenizerSettings Tokenizer { get; init; } = new();

    public DataSettings Data { get; init; } = new();

    public FinetuneSettings Finetune { get; init; } = new();

    public OptimizerSettings Optim { get; init; } = new();

    public EvaluationSettings Eval { get; init; } = new();

    public LoggingSettings Logging { get; init; } = new();

    public CheckpointSettings Checkpoint { get; init; } = new();

    public TrackerSettings Tracker { get; init; } = new();

    public ExportSettings Export { get; init; } = new();

    /// <summary>
    /// Whether the run reads Super-Natural Instructions data: finetune and predict always, evaluate when
    /// finetune.data_directory is set (otherwise evaluate measures the pretraining validation data).
    /// </summary>
    public bool UsesFinetuneData() => SettingRules.UsesFinetuneData(ModeName(Mode), !string.IsNullOrWhiteSpace(Finetune.DataDirectory));

    /// <summary>A mode as settings and JSON spell it (pretrain, finetune, evaluate, predict).</summary>
    public static string ModeName(RunMode mode) => mode.ToString().ToLowerInvariant();

    /// <summary>
    /// Micro-batches one evaluation averages: eval.steps x grad_acc, the rows nanoT5's eval reads. (nanoT5's loop breaks
    /// at batch_id == steps x grad_acc after counting, so it averages one micro-batch less: an off-by-one not
    /// reproduced, docs/data.md.) Saturates at int.MaxValue: 2^31-1 steps is endless either way, and a signal stops it.
    /// </summary>
    public int EvalMicroBatches() => (int)Math.Min(int.MaxValue, (long)Eval.Steps * Math.Max(1, Optim.GradAcc));
}
