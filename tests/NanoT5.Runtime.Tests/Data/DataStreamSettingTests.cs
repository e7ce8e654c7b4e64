// The pretraining stream's fingerprint takes its settings from the settings table (DataStream): today's keys and value
// texts stay what the previous version wrote, its checkpoints still match word by word, and a new data setting joins
// the fingerprint and the resume policy with its table entry alone.
using System.Text.Json.Nodes;
using NanoT5.Config;
using NanoT5.Config.Settings;
using NanoT5.Data.Pipeline;
using NanoT5.Data.Tokenizers;
using NanoT5.Runs;

namespace NanoT5.Tests.Data;

public sealed class DataStreamSettingTests : IDisposable
{
    // The setup the previous version's SetupOf wrote for the default data settings over one .txt shard (its word order).
    private const string PreviousDefault =
        "shards=1 [Text:corpus.txt] tokenizer_count=1100 row_length=568 input_length=512 noise_density=0.15 mean_noise_span_length=3 " +
        "seed=2137 shuffle_buffer=10000 shuffle_shards=True documents_per_chunk=1000 eos_after_document=True text_sample_by=Line";

    private static readonly SentencePieceT5Tokenizer Tokenizer = SentencePieceT5Tokenizer.Load(TestPaths.Tokenizer("t5-unigram-1k.model"));
    private readonly TempFolder folder = TestPaths.NewTempFolder();
    private readonly PipelineOptions options;

    public DataStreamSettingTests()
    {
        string corpus = folder.File("corpus.txt");
        File.WriteAllLines(corpus, DataFiles.Documents(20, seed: 5));
        options = new PipelineOptions { Shards = [DataFiles.Shard(corpus)], BatchSize = 8 };
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void SetupOf_WritesTheTablesStreamSettings_WithTheKeysAndValueTextsOfThePreviousVersion()
    {
        Assert.Equal(
            "shards=1 [Text:corpus.txt] tokenizer_count=1100 row_length=568 shuffle_shards=True seed=2137 input_length=512 noise_density=0.15 " +
            "mean_noise_span_length=3 shuffle_buffer=10000 documents_per_chunk=1000 eos_after_document=True text_sample_by=Line",
            PipelineState.SetupOf(options, Tokenizer, 568));
        Assert.Equal(
            ["Seed", "Data.InputLength", "Data.NoiseDensity", "Data.MeanNoiseSpanLength", "Data.ShuffleBuffer", "Data.DocumentsPerChunk", "Data.EosAfterDocument", "Data.TextSampleBy"],
            SettingTable.All.Where(s => s.DataStream).Select(s => s.ConfigPath));
    }

    [Fact]
    public void A_setup_the_previous_version_wrote_matches_the_same_settings_and_names_a_changed_one()
    {
        string now = PipelineState.SetupOf(options, Tokenizer, 568);

        Assert.Empty(SetupDifference.Of(PreviousDefault, now));
        Assert.Equal(
            ["noise_density 0.15 -> 0.3"],
            SetupDifference.Of(PreviousDefault, PipelineState.SetupOf(options with { Data = options.Data with { NoiseDensity = 0.3 } }, Tokenizer, 568)));
    }

    [Fact]
    public void A_setting_key_an_older_setup_lacks_compares_as_the_settings_default_and_other_keys_do_not()
    {
        string older = PreviousDefault.Replace(" eos_after_document=True text_sample_by=Line", string.Empty, StringComparison.Ordinal);
        string now = PipelineState.SetupOf(options, Tokenizer, 568);

        Assert.Empty(SetupDifference.Of(older, now));
        Assert.Equal(
            ["eos_after_document (none) -> False"],
            SetupDifference.Of(older, PipelineState.SetupOf(options with { Data = options.Data with { EosAfterDocument = false } }, Tokenizer, 568)));
        Assert.Equal(["row_length (none) -> 568"], SetupDifference.Of(PreviousDefault.Replace(" row_length=568", string.Empty, StringComparison.Ordinal), now));
    }

    [Fact]
    public void Every_stream_setting_is_one_the_pipeline_options_hold()
    {
        // PipelineOptions.Read knows the data settings and the seed; a stream setting elsewhere would read a default.
        Assert.All(
            SettingTable.All.Where(s => s.DataStream),
            s => Assert.True(s.ConfigPath == "Seed" || s.ConfigPath!.StartsWith("Data.", StringComparison.Ordinal), s.Property));
        Assert.Equal(7, (options with { Seed = 7 }).Read(SettingTable.Seed));
        Assert.Equal(64, (options with { Data = new DataSettings { InputLength = 64 } }).Read(SettingTable.InputLength));
    }

    [Fact]
    public void A_new_data_setting_joins_the_fingerprint_and_the_resume_policy_with_its_table_entry_alone()
    {
        var foo = new Setting("NanoT5Foo", "Data.Foo", SettingKind.Integer, "3", "A new data setting.");
        IReadOnlyList<Setting> settings = [.. SettingTable.All, foo];
        string SetupWith(int value) => PipelineState.SetupOf(options, Tokenizer, 568, settings, s => s == foo ? value : options.Read(s));

        Assert.True(foo.DataStream);
        Assert.EndsWith(" foo=3", SetupWith(3), StringComparison.Ordinal);
        Assert.NotEqual(
            PipelineState.Start(options, Tokenizer, 568, settings, s => s == foo ? 3 : options.Read(s)).Fingerprint,
            PipelineState.Start(options, Tokenizer, 568, settings, s => s == foo ? 4 : options.Read(s)).Fingerprint);
        Assert.Equal(["foo 3 -> 4"], SetupDifference.Of(SetupWith(3), SetupWith(4), settings));
        // A checkpoint from before the setting existed resumes at its default, and only there.
        Assert.Empty(SetupDifference.Of(PreviousDefault, SetupWith(3), settings));
        Assert.Equal(["foo (none) -> 4"], SetupDifference.Of(PreviousDefault, SetupWith(4), settings));

        JsonNode saved = ConfigWithFoo(3), now = ConfigWithFoo(4);
        Assert.Equal([new SettingChange("data.foo", "3", "4")], RunIdentity.Compare(saved, now, settings));
        Assert.Empty(RunIdentity.Compare(saved, now, [.. SettingTable.All, new Setting("NanoT5Foo", "Data.Foo", SettingKind.Integer, "3", "How it is read.") { OnResume = ResumePolicy.MayChange }]));
        // A leaf that belongs to no setting stays fixed.
        Assert.Equal([new SettingChange("data.foo", "3", "4")], RunIdentity.Compare(saved, now, SettingTable.All));
    }

    private static JsonNode ConfigWithFoo(int value)
    {
        JsonNode config = JsonNode.Parse(ExperimentConfigJson.Serialize(new ExperimentConfig()))!;
        config["data"]!["foo"] = value;
        return config;
    }
}
