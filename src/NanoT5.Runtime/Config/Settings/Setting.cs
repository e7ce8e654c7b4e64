// One setting of an experiment: its MSBuild property, where it lands in ExperimentConfig, its kind, bounds, defaults
// per mode and meaning. One source, compiled twice: into the runtime and, by link, into the SDK's build tasks
// (Sdk/NanoT5.Sdk.Tasks, netstandard2.0), so both read the same table (SettingTable). Keep it netstandard2.0.
using System.Globalization;

namespace NanoT5.Config.Settings;

/// <summary>A lower-case value a user writes and the C# expression it becomes.</summary>
#if NANOT5_SDK_TASKS
internal
#else
public
#endif
sealed record Choice(string Value, string Expression);

/// <summary>How a run that resumes from its folder treats a setting that differs from the one it was started with.</summary>
#if NANOT5_SDK_TASKS
internal
#else
public
#endif
enum ResumePolicy
{
    /// <summary>Part of the experiment: a resume with another value is refused (and a -p: of it names a new run).</summary>
    Fixed,

    /// <summary>Where the run runs or what it writes (device, logging, tracker, file locations): may differ on resume.</summary>
    MayChange,

    /// <summary>How long the run trains: may grow on resume (extending a run), never shrink below its checkpoints.</summary>
    MayGrow,
}

/// <summary>One setting (ConfigPath null: it steers the SDK itself and is not part of the config).</summary>
#if NANOT5_SDK_TASKS
internal
#else
public
#endif
sealed class Setting
{
    public Setting(string property, string? configPath, SettingKind kind, string defaultText, string meaning)
    {
        Property = property;
        ConfigPath = configPath;
        Kind = kind;
        DefaultText = defaultText;
        Meaning = meaning;
    }

    /// <summary>The MSBuild property, e.g. NanoT5LearningRate.</summary>
    public string Property { get; }

    /// <summary>Dotted C# path in ExperimentConfig (Optim.BaseLr), or null for SDK-only properties.</summary>
    public string? ConfigPath { get; }

    public SettingKind Kind { get; }

    /// <summary>The default as the README writes it (pretraining's); empty means unset (null in the config).</summary>
    public string DefaultText { get; }

    /// <summary>One sentence for the README.</summary>
    public string Meaning { get; }

    /// <summary>nanoT5's task/ft.yaml value, used when the run fine-tunes or predicts and the setting is unset.</summary>
    public string? FinetuneDefault { get; init; }

    public IReadOnlyList<Choice> Choices { get; init; } = [];

    public double? Minimum { get; init; }

    public bool MinimumExclusive { get; init; }

    public double? Maximum { get; init; }

    public bool MaximumExclusive { get; init; }

    /// <summary>For paths: the diagnostic code of a missing file or folder (NT1008, NT1009; null: not checked).</summary>
    public string? MissingPathCode { get; init; }

    /// <summary>For paths: builtin:NAME values accepted instead of a path.</summary>
    public IReadOnlyList<string> Builtins { get; init; } = [];

    /// <summary>Set by Sdk.targets (e.g. NanoT5Name from the project name) rather than left to ExperimentConfig.</summary>
    public bool DefaultFromSdk { get; init; }

    /// <summary>
    /// The typed record's default where it is not <see cref="DefaultText"/>: the SDK fills DefaultText's MSBuild
    /// expression ($(MSBuildProjectName)), so a config made in code or read from JSON without the setting gets this.
    /// Text-valued settings only.
    /// </summary>
    public string? RecordDefault { get; init; }

    /// <summary>An unset value is null in the typed record (string?), not "" (paths and URLs that are absent). Text-valued settings without a default only.</summary>
    public bool UnsetIsNull { get; init; }

    /// <summary>The text the typed record's default is made of: <see cref="RecordDefault"/>, else <see cref="DefaultText"/>.</summary>
    public string RecordDefaultText => RecordDefault ?? DefaultText;

    /// <summary>How a resumed run treats another value (RunIdentity refuses, the SDK's RunNaming names runs by Fixed settings).</summary>
    public ResumePolicy OnResume { get; init; } = ResumePolicy.Fixed;

    /// <summary>
    /// Whether the value decides which rows the pretraining stream yields, so a checkpoint's data position is only valid
    /// with the same value (the pipeline's fingerprint). Unless set, true for every fixed Data.* setting: a new data
    /// setting joins the fingerprint without another edit, and one that only steers how the stream is read (workers,
    /// retries, sources, which RunInputs fingerprints by content) says MayChange.
    /// </summary>
    public bool DataStream
    {
        get => dataStream ?? (OnResume == ResumePolicy.Fixed && ConfigPath is string path && path.StartsWith("Data.", StringComparison.Ordinal));
        init => dataStream = value;
    }

    private readonly bool? dataStream;

    /// <summary>The default of a run that uses fine-tuning data (<paramref name="finetuneLike"/>) or of any other run.</summary>
    public string DefaultFor(bool finetuneLike) => finetuneLike && FinetuneDefault is string ft ? ft : DefaultText;

    /// <summary>The default of an Integer setting.</summary>
    public int IntegerDefault => int.Parse(DefaultText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary>The default of a Number setting.</summary>
    public double NumberDefault => double.Parse(DefaultText, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The default of a Boolean setting.</summary>
    public bool BooleanDefault => bool.Parse(DefaultText);

    /// <summary>"an integer >= 1", "a number in (0, 1)", "one of: a, b": the allowed values in words.</summary>
    public string Allowed => Kind switch
    {
        SettingKind.Integer => "an integer" + RangeText(),
        SettingKind.Number => "a number" + RangeText(),
        SettingKind.Boolean => "true or false",
        SettingKind.OneOf => "one of: " + string.Join(", ", Choices.Select(c => c.Value)),
        SettingKind.Device => "cpu, cuda or cuda:N",
        SettingKind.FolderName => "a name usable as a folder name (no / or \\, not . or .., at most 255 UTF-8 bytes)",
        SettingKind.Path => Builtins.Count == 0 ? "a path" : "a path or " + string.Join(", ", Builtins),
        SettingKind.Sources => "files, globs, http(s) URLs or " + string.Join(", ", Builtins) + ", separated by ;",
        SettingKind.Url => "an absolute http:// or https:// URL",
        SettingKind.Tags => "key=value pairs separated by ;",
        SettingKind.VariableName => "an environment variable name (letters, digits and _, not starting with a digit)",
        _ => "text",
    };

    /// <summary>The enum member of a OneOf default (the JSON config spells members in lower case).</summary>
    public T EnumDefault<T>()
        where T : struct, Enum =>
#if NANOT5_SDK_TASKS
        (T)Enum.Parse(typeof(T), DefaultText, ignoreCase: true);
#else
        Enum.Parse<T>(DefaultText, ignoreCase: true);
#endif

    public bool InRange(double value) =>
        (Minimum is not double min || (MinimumExclusive ? value > min : value >= min)) &&
        (Maximum is not double max || (MaximumExclusive ? value < max : value <= max));

    public override string ToString() => Property;

    private string RangeText()
    {
        static string Number(double d) => d.ToString("R", CultureInfo.InvariantCulture);
        return (Minimum, Maximum) switch
        {
            (double min, double max) => $" in {(MinimumExclusive ? "(" : "[")}{Number(min)}, {Number(max)}{(MaximumExclusive ? ")" : "]")}",
            (double min, null) => $" {(MinimumExclusive ? ">" : ">=")} {Number(min)}",
            (null, double max) => $" {(MaximumExclusive ? "<" : "<=")} {Number(max)}",
            _ => string.Empty,
        };
    }
}
