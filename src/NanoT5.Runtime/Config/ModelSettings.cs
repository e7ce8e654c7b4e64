// Part of ExperimentConfig: which model to build and where its weights come from.
using NanoT5.Config.Settings;
using NanoT5.Model;

namespace NanoT5.Config;

/// <summary>Which model to build and where its weights come from.</summary>
public sealed record ModelSettings
{
    /// <summary>A preset name (t5-v1_1-base, tiny, ...) used when <see cref="ConfigPath"/> is empty.</summary>
    public string Preset { get; init; } = SettingTable.ModelPreset.DefaultText;

    /// <summary>A HuggingFace config.json (overrides the preset).</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Initial weights: a HF checkpoint folder, a .safetensors/.bin file, or a run folder of this project; empty = random init.</summary>
    public string? InitFrom { get; init; }

    /// <summary>Dropout during training (nanoT5 pretrains with 0.0; HF's configs say 0.1 for fine-tuning).</summary>
    public double Dropout { get; init; } = SettingTable.Dropout.NumberDefault;

    /// <summary>eager (HF's explicit scores, the reference) or sdpa (one fused scaled_dot_product_attention call: less memory on GPUs; docs/gpu.md).</summary>
    public AttentionKind Attention { get; init; } = SettingTable.Attention.EnumDefault<AttentionKind>();
}
