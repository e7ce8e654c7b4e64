// Builds the optimizer and schedule an experiment asks for, with nanoT5's parameter groups.
using NanoT5.Config;
using NanoT5.Optim.Schedules;
using TorchSharp.Modules;

namespace NanoT5.Optim;

/// <summary>Creates optimizers and schedules from <see cref="OptimizerSettings"/>.</summary>
public static class OptimizerFactory
{
    // nanoT5's no_decay list, matched as substrings of parameter names (so T5's relative_attention_bias
    // and every layer_norm weight are not decayed).
    private static readonly string[] NoDecay = ["bias", "LayerNorm", "layernorm", "layer_norm", "ln"];

    /// <summary>Whether <paramref name="name"/> is exempt from weight decay.</summary>
    public static bool IsNoDecay(string name) => NoDecay.Any(n => name.Contains(n, StringComparison.Ordinal));

    /// <summary>
    /// The optimizer named in <paramref name="settings"/> over <paramref name="parameters"/>; the one dispatch from
    /// <see cref="OptimizerKind"/> to an optimizer (training and bench-optimizer both use it).
    /// <paramref name="allowFusedCpuKernel"/> false makes AdamW(Scale) use LibTorch ops per tensor (bench-optimizer --fused false).
    /// </summary>
    public static IOptimizer Create(OptimizerSettings settings, IEnumerable<(string Name, Parameter Parameter)> parameters, bool allowFusedCpuKernel = true)
    {
        var named = parameters
            .Select(p => new OptimizedParameter(p.Name, p.Parameter, IsNoDecay(p.Name) ? 0.0 : settings.WeightDecay))
            .ToList();
        return settings.Name switch
        {
            OptimizerKind.AdamWScale => new AdamWScale(named, new AdamWScaleOptions { ScaleByParameterRms = true, AllowFusedCpuKernel = allowFusedCpuKernel }),
            OptimizerKind.AdamW => new AdamWScale(named, new AdamWScaleOptions { ScaleByParameterRms = false, AllowFusedCpuKernel = allowFusedCpuKernel }),
            OptimizerKind.Adafactor => new Adafactor(named, new AdafactorOptions()),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Name, "Unknown optimizer."),
        };
    }

    /// <summary>The schedule named in <paramref name="settings"/> for <paramref name="totalSteps"/> optimizer steps.</summary>
    public static ILearningRateSchedule CreateSchedule(OptimizerSettings settings, long totalSteps) => settings.Schedule switch
    {
        ScheduleKind.Cosine => new CosineSchedule(settings.BaseLr, settings.WarmupSteps, totalSteps, settings.FinalCosine),
        ScheduleKind.Legacy => new LegacySchedule(totalSteps),
        ScheduleKind.Constant => new ConstantSchedule(settings.BaseLr),
        _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Schedule, "Unknown schedule."),
    };
}
