// The typed, immutable configuration of one run. It flows one way: .t5proj properties are validated
// by the SDK and generated into this record (or a JSON file is read into it), then the runtime reads it.
// Its settings and sections are generated from the settings table (Generated/ExperimentConfig.g.cs), with their
// defaults, nanoT5's (configs/default.yaml and task/pt.yaml); what is not a setting goes here.
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>Everything a run needs to know; run state (step, data position, RNG) lives elsewhere.</summary>
public sealed partial record ExperimentConfig
{
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
