// Named architectures: Google's T5 v1.1 sizes and small configs that train on a CPU.
namespace NanoT5.Model;

/// <summary>Architectures by name (<c>t5-v1_1-base</c>, <c>tiny</c>, ...).</summary>
public static class T5Presets
{
    private static readonly Dictionary<string, T5Config> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        // google/t5-v1_1-* config.json values.
        ["t5-v1_1-small"] = new() { DModel = 512, DKv = 64, DFf = 1024, NumLayers = 8, NumDecoderLayers = 8, NumHeads = 6 },
        ["t5-v1_1-base"] = new() { DModel = 768, DKv = 64, DFf = 2048, NumLayers = 12, NumDecoderLayers = 12, NumHeads = 12 },
        ["t5-v1_1-large"] = new() { DModel = 1024, DKv = 64, DFf = 2816, NumLayers = 24, NumDecoderLayers = 24, NumHeads = 16 },
        ["t5-v1_1-xl"] = new() { DModel = 2048, DKv = 64, DFf = 5120, NumLayers = 24, NumDecoderLayers = 24, NumHeads = 32 },
        ["t5-v1_1-xxl"] = new() { DModel = 4096, DKv = 64, DFf = 10240, NumLayers = 24, NumDecoderLayers = 24, NumHeads = 64 },

        // The benchmark's "tiny CPU" config: base's vocabulary, a quarter of its width, a third of its depth.
        ["tiny"] = new() { DModel = 256, DKv = 32, DFf = 1024, NumLayers = 4, NumDecoderLayers = 4, NumHeads = 8 },

        // Small enough to show learning on two CPU cores in minutes (the default experiment).
        ["mini"] = new() { DModel = 128, DKv = 32, DFf = 512, NumLayers = 2, NumDecoderLayers = 2, NumHeads = 4 },
    };

    /// <summary>Every preset name.</summary>
    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>The preset called <paramref name="name"/>, with vocab_size replaced when given.</summary>
    public static T5Config Get(string name, int? vocabSize = null)
    {
        if (!ByName.TryGetValue(name, out T5Config? config))
        {
            throw new ArgumentException($"Unknown model preset '{name}'. Known presets: {string.Join(", ", Names)}.", nameof(name));
        }

        return vocabSize is int v ? config with { VocabSize = v } : config;
    }
}
