// The checks of an experiment's settings, written once: the SDK runs them at build time over the .t5proj properties
// (ExperimentSettings; codes, file and line), the runtime when it loads a config (ExperimentConfigValidation; the
// config path). Messages name a setting through `name`: its MSBuild property in the SDK, its config path in the
// runtime. A rule is skipped while one of its inputs has no value (the SDK reported that input already). Compiled
// into the runtime and, by link, into the SDK's tasks (netstandard2.0).
using System.Globalization;
using static NanoT5.Config.Settings.SettingTable;

namespace NanoT5.Config.Settings;

/// <summary>One experiment's settings as the rules read them.</summary>
#if NANOT5_SDK_TASKS
internal
#else
public
#endif
interface ISettingValues
{
    /// <summary>pretrain, finetune, evaluate or predict.</summary>
    string Mode { get; }

    /// <summary>Fine-tuning data and defaults apply: finetune, predict, and evaluate with fine-tuning data.</summary>
    bool UsesFinetuneData { get; }

    /// <summary>The SDK: the project sets it; the runtime: it has a value (a non-empty text or list).</summary>
    bool IsSet(Setting setting);

    int? WholeNumber(Setting setting);

    double? Number(Setting setting);

    /// <summary>The choice in lower case, as written.</summary>
    string? Choice(Setting setting);

    string? Text(Setting setting);

    /// <summary>A list setting's entries (sources), or null.</summary>
    IReadOnlyList<string>? List(Setting setting);
}

/// <summary>A broken rule: its NT code, the message, and the settings it is about (the first places it).</summary>
#if NANOT5_SDK_TASKS
internal
#else
public
#endif
sealed record SettingFinding(string Code, string Message, IReadOnlyList<Setting> Settings);

/// <summary>Per-value checks (by kind) and the rules across settings.</summary>
#if NANOT5_SDK_TASKS
internal
#else
public
#endif
static class SettingRules
{
    /// <summary>
    /// Fine-tuning data and defaults apply to a run of <paramref name="mode"/> (pretrain, finetune, evaluate or predict):
    /// finetune and predict always, evaluate when it names a fine-tuning data directory.
    /// </summary>
    public static bool UsesFinetuneData(string mode, bool namesFinetuneData) =>
        mode is "finetune" or "predict" || (mode == "evaluate" && namesFinetuneData);

    /// <summary>cpu, cuda or cuda:N (any case).</summary>
    public static bool IsDevice(string text)
    {
        string device = text.Trim().ToLowerInvariant();
        return device == "cpu" || device == "cuda" ||
            (device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(device.Remove(0, "cuda:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out _));
    }

    /// <summary>An absolute http:// or https:// URL.</summary>
    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    /// <summary>Letters, digits and _, not starting with a digit.</summary>
    public static bool IsVariableName(string text) =>
        text.Length > 0 && !char.IsDigit(text[0]) && text.All(c => c == '_' || (c < 128 && char.IsLetterOrDigit(c)));

    /// <summary>The longest file or folder name Linux file systems take (NAME_MAX), in UTF-8 bytes.</summary>
    public const int MaxFolderNameBytes = 255;

    /// <summary>A name usable as a folder name: no / or \, not . or .., at most <see cref="MaxFolderNameBytes"/> UTF-8 bytes.</summary>
    public static bool IsFolderName(string text) =>
        text.Length > 0 && text != "." && text != ".." && text.IndexOfAny(['/', '\\']) < 0 && text.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 &&
        System.Text.Encoding.UTF8.GetByteCount(text) <= MaxFolderNameBytes;

    /// <summary>Errors: the experiment cannot run as set.</summary>
    public static IEnumerable<SettingFinding> Errors(ISettingValues s, Func<Setting, string> name)
    {
        if (s.WholeNumber(BatchSize) is int batch && s.WholeNumber(GradAcc) is int acc && acc > 0 && batch % acc != 0)
        {
            int lower = batch - (batch % acc);
            string near = lower > 0 ? $"{lower} or {lower + acc}" : $"{acc}";
            yield return new SettingFinding(
                "NT2001",
                $"{name(BatchSize)} ({batch}) must be divisible by {name(GradAcc)} ({acc}): each optimizer step splits the batch into equal micro-batches (e.g. {name(BatchSize)} {near}).",
                [BatchSize, GradAcc]);
        }

        if (s.WholeNumber(BatchSize) is int rows && s.WholeNumber(GradAcc) is int micro && micro > 0 && s.WholeNumber(Processes) is int processes && processes > rows / micro)
        {
            yield return new SettingFinding(
                "NT2014",
                $"{name(Processes)} ({processes}) is above the rows of one micro-batch ({name(BatchSize)} {rows} / {name(GradAcc)} {micro} = {rows / micro}): each process trains on its share of every micro-batch's rows, so every process needs at least one. Lower {name(Processes)} or {name(GradAcc)}, or raise {name(BatchSize)}.",
                [Processes, BatchSize]);
        }

        int epochs = s.WholeNumber(Epochs) ?? 0;
        if (s.WholeNumber(TotalSteps) is int steps && s.WholeNumber(WarmupSteps) is int warmup && s.Choice(Schedule) == "cosine" && epochs == 0 && steps > 0 && warmup >= steps)
        {
            yield return new SettingFinding(
                "NT2002",
                $"{name(WarmupSteps)} ({warmup}) must be below {name(TotalSteps)} ({steps}) for the cosine schedule.",
                [WarmupSteps, TotalSteps]);
        }

        if (s.WholeNumber(TotalSteps) == 0 && epochs == 0)
        {
            yield return new SettingFinding(
                "NT2010",
                $"{name(TotalSteps)} is 0 and {name(Epochs)} is 0: set {name(TotalSteps)} (optimizer steps) or {name(Epochs)} (passes over the data) to a positive integer.",
                [TotalSteps, Epochs]);
        }

        if (s.Choice(SettingTable.Precision) == "bf16" && s.Text(Device) is string device && !device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase))
        {
            yield return new SettingFinding(
                "NT2003",
                $"{name(SettingTable.Precision)} bf16 needs a CUDA device ({name(Device)} is '{device}'): use fp32 on cpu, or {name(Device)} cuda.",
                [SettingTable.Precision, Device]);
        }

        foreach (SettingFinding f in SpanCorruptionLengths.SettingFindings(s, name).Concat(RequiredByChoice(s, name)))
        {
            yield return f;
        }
    }

    /// <summary>Warnings: a setting that another one makes pointless.</summary>
    public static IEnumerable<SettingFinding> Warnings(ISettingValues s, Func<Setting, string> name)
    {
        if (s.IsSet(ModelConfig) && s.IsSet(ModelPreset))
        {
            yield return new SettingFinding(
                "NT2009",
                $"{name(ModelConfig)} overrides {name(ModelPreset)} ('{s.Text(ModelPreset) ?? s.Choice(ModelPreset)}' is not used); remove one of them.",
                [ModelPreset, ModelConfig]);
        }

        if (s.Choice(Tokenizer) == "gpt2" && s.IsSet(TokenizerPath))
        {
            yield return new SettingFinding(
                "NT2012",
                $"{name(TokenizerPath)} is ignored by {name(Tokenizer)} gpt2 (its vocabulary ships in a NuGet package); remove it or use {name(Tokenizer)} sentencepiece.",
                [TokenizerPath, Tokenizer]);
        }

        if (s.Choice(Schedule) == "legacy" && s.IsSet(LearningRate))
        {
            yield return new SettingFinding(
                "NT2013",
                $"{name(LearningRate)} is ignored by {name(Schedule)} legacy (T5's inverse square root, min(1e-2, 1/sqrt(step))); remove it or use {name(Schedule)} cosine.",
                [LearningRate, Schedule]);
        }
    }

    // Data the run needs, and settings that another setting's choice makes mandatory.
    private static IEnumerable<SettingFinding> RequiredByChoice(ISettingValues s, Func<Setting, string> name)
    {
        if (s.Mode == "pretrain" && !s.IsSet(TrainSources))
        {
            yield return new SettingFinding("NT2008", $"Pretraining needs {name(TrainSources)}: {TrainSources.Allowed}.", [TrainSources, Mode]);
        }

        // Only the builtin corpus brings a validation split; evaluating your own corpus needs held-out files.
        if (!s.UsesFinetuneData && !s.IsSet(ValidationSources) && s.List(TrainSources) is { } train &&
            train.Select(t => t.Trim()).Any(t => t.Length > 0 && !t.StartsWith("builtin:", StringComparison.OrdinalIgnoreCase)))
        {
            yield return new SettingFinding(
                "NT2020",
                $"{name(TrainSources)} is your own corpus, so evaluation has no validation split: set {name(ValidationSources)} to held-out files, globs or URLs (only builtin:dotnet-docs brings its own).",
                [ValidationSources, TrainSources]);
        }

        // -t:Predict on your own inputs (NanoT5PredictInput) reads no task folder.
        if (s.UsesFinetuneData && !s.IsSet(FinetuneData) && !(s.Mode == "predict" && s.IsSet(PredictInput)))
        {
            yield return new SettingFinding(
                "NT2005",
                $"Mode {s.Mode} needs {name(FinetuneData)}: a Super-Natural Instructions folder (with splits/ and tasks/) or {string.Join(", ", FinetuneBuiltins)}.",
                [FinetuneData, Mode]);
        }

        if (s.Choice(Tokenizer) == "sentencepiece" && !s.IsSet(TokenizerPath))
        {
            yield return new SettingFinding(
                "NT2006",
                $"{name(Tokenizer)} sentencepiece needs {name(TokenizerPath)} (the spiece.model file), or use {name(Tokenizer)} gpt2.",
                [TokenizerPath, Tokenizer]);
        }

        if (s.Choice(Tracker) == "mlflow" && !s.IsSet(TrackerUrl))
        {
            yield return new SettingFinding("NT2007", $"{name(Tracker)} mlflow needs {name(TrackerUrl)} (e.g. http://127.0.0.1:5000).", [TrackerUrl, Tracker]);
        }
    }
}
