using System.Globalization;
using System.Text.RegularExpressions;
using NanoT5.Data.Tokenizers;
using NanoT5.Model;

namespace NanoT5.Tests.Model;

public sealed class T5ParameterCountTests
{
    // Model vocabularies: GPT-2's 50,257 tokens (+3 shifted, +100 sentinels) and T5's spiece.model (32,100), padded to 128.
    private static readonly int Gpt2Vocab = T5Layout.ModelVocabSize(Gpt2T5Tokenizer.Gpt2Count + Gpt2T5Tokenizer.Shift + T5Layout.SentinelCount);
    private const int SpieceVocab = 32_128;

    [Theory]
    [InlineData("mini")]
    [InlineData("tiny")]
    public void Of_a_small_preset_is_the_number_of_elements_of_the_built_model(string preset)
    {
        T5Config config = T5Presets.Get(preset, Gpt2Vocab);
        using var model = new T5ForConditionalGeneration(config);

        Assert.Equal(model.parameters().Sum(p => p.NumberOfElements), T5ParameterCount.Of(config));
    }

    [Fact]
    public void Of_an_irregular_shape_counts_every_matrix_once()
    {
        var config = new T5Config { VocabSize = 1152, DModel = 40, DKv = 12, DFf = 72, NumLayers = 3, NumDecoderLayers = 1, NumHeads = 5, RelativeAttentionNumBuckets = 16 };
        using var model = new T5ForConditionalGeneration(config);

        Assert.Equal(model.parameters().Sum(p => p.NumberOfElements), T5ParameterCount.Of(config));
    }

    // google/t5-v1_1-* as HF reports them with T5's vocabulary (76,961,152 for small; 247,577,856 for base).
    [Theory]
    [InlineData("mini", 14_092_032L, 9_406_208L)]
    [InlineData("tiny", 35_264_512L, 25_892_864L)]
    [InlineData("t5-v1_1-small", 95_704_448L, 76_961_152L)]
    [InlineData("t5-v1_1-base", 275_692_800L, 247_577_856L)]
    [InlineData("t5-v1_1-large", 820_636_672L, 783_150_080L)]
    [InlineData("t5-v1_1-xl", 2_924_730_368L, 2_849_757_184L)]
    [InlineData("t5-v1_1-xxl", 11_285_278_720L, 11_135_332_352L)]
    public void Every_preset_has_its_exact_count_and_the_SDK_README_says_it(string preset, long withGpt2, long withSpiece)
    {
        Assert.Equal(withGpt2, T5ParameterCount.Of(T5Presets.Get(preset, Gpt2Vocab)));
        Assert.Equal(withSpiece, T5ParameterCount.Of(T5Presets.Get(preset, SpieceVocab)));
        string row = File.ReadAllLines(TestPaths.Repo("Sdk", "README.md")).Single(l => l.StartsWith($"| `{preset}` |", StringComparison.Ordinal));
        Assert.Contains($"{Millions(withGpt2)} with `gpt2`", row, StringComparison.Ordinal);
        Assert.Contains($"{Millions(withSpiece)} with T5's `spiece.model`", row, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^\| `[^`]+` \| [^|]+ \| [^|]+ \| [^|]+ \|$"), row);
    }

    // As the runtime prints the count at the start of a run (TrainingRun: F1 millions).
    private static string Millions(long count) => string.Create(CultureInfo.InvariantCulture, $"{count / 1e6:F1}M");
}
