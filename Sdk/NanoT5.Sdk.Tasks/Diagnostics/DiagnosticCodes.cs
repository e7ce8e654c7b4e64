// The one registry of NanoT5 diagnostic codes. NT0xxx: the runtime's build logic (src/NanoT5.Runtime/build,
// NanoT5.Runtime.csproj); NT1xxx: one property's value; NT2xxx: rules across properties; NT3xxx: property
// names; NT4xxx: launching runs and sweeps. docs/diagnostics.md has a line per code; tests keep them in step.
namespace NanoT5.Sdk.Diagnostics;

internal static class DiagnosticCodes
{
    // Raised by the runtime's build logic, not by these tasks; listed so no code is ever given twice.
    public static readonly DiagnosticDescriptor PatchModeInvalid = new("NT0001", Severity.Error, "NanoT5PatchLibTorchSharp is not auto, true or false");
    public static readonly DiagnosticDescriptor PatchFailed = new("NT0002", Severity.Error, "libLibTorchSharp.so could not be patched for this libstdc++");
    public static readonly DiagnosticDescriptor BackendInvalid = new("NT0003", Severity.Error, "NanoT5Backend is not cpu, cuda or libtorch");
    public static readonly DiagnosticDescriptor NativeRuntimeInvalid = new("NT0004", Severity.Error, "NanoT5NativeRuntime is not a platform LibTorch ships for");

    public static readonly DiagnosticDescriptor NotAnInteger = new("NT1001", Severity.Error, "the value is not an integer");
    public static readonly DiagnosticDescriptor NotANumber = new("NT1002", Severity.Error, "the value is not a number");
    public static readonly DiagnosticDescriptor NotABoolean = new("NT1003", Severity.Error, "the value is not true or false");
    public static readonly DiagnosticDescriptor NotAllowed = new("NT1004", Severity.Error, "the value is not one of the allowed values");
    public static readonly DiagnosticDescriptor OutOfRange = new("NT1005", Severity.Error, "the number is outside the allowed range");
    public static readonly DiagnosticDescriptor DeviceInvalid = new("NT1006", Severity.Error, "the device is not cpu, cuda or cuda:N");
    public static readonly DiagnosticDescriptor UrlInvalid = new("NT1007", Severity.Error, "the tracker URL is not an absolute http(s) URL");
    public static readonly DiagnosticDescriptor FileMissing = new("NT1008", Severity.Error, "a file or folder the experiment reads does not exist");
    public static readonly DiagnosticDescriptor InitFromMissing = new("NT1009", Severity.Warning, "the checkpoint to start from does not exist (yet)");
    public static readonly DiagnosticDescriptor NameInvalid = new("NT1010", Severity.Error, "the experiment name cannot name a folder");
    public static readonly DiagnosticDescriptor TagsInvalid = new("NT1011", Severity.Error, "tracker tags are not key=value pairs");
    public static readonly DiagnosticDescriptor VariableNameInvalid = new("NT1012", Severity.Error, "the token variable is not an environment variable name");
    public static readonly DiagnosticDescriptor BuiltinUnknown = new("NT1013", Severity.Error, "an unknown builtin: data source");

    public static readonly DiagnosticDescriptor BatchNotDivisible = new("NT2001", Severity.Error, "the batch size is not divisible by the gradient accumulation steps");
    public static readonly DiagnosticDescriptor WarmupTooLong = new("NT2002", Severity.Error, "warm-up is not shorter than the run");
    public static readonly DiagnosticDescriptor Bf16NeedsCuda = new("NT2003", Severity.Error, "bf16 needs a CUDA device");
    public static readonly DiagnosticDescriptor SpanLengthsUnsatisfiable = new("NT2004", Severity.Error, "span corruption cannot produce rows of the input length");
    public static readonly DiagnosticDescriptor FinetuneNeedsData = new("NT2005", Severity.Error, "fine-tuning or prediction has no task folder");
    public static readonly DiagnosticDescriptor SentencePieceNeedsPath = new("NT2006", Severity.Error, "the SentencePiece tokenizer has no model file");
    public static readonly DiagnosticDescriptor MlflowNeedsUrl = new("NT2007", Severity.Error, "the MLflow tracker has no URL");
    public static readonly DiagnosticDescriptor PretrainNeedsSources = new("NT2008", Severity.Error, "pretraining has no training data");
    public static readonly DiagnosticDescriptor ConfigOverridesPreset = new("NT2009", Severity.Warning, "a model config file overrides the preset");
    public static readonly DiagnosticDescriptor NoStepsNorEpochs = new("NT2010", Severity.Error, "neither steps nor epochs are set");
    public static readonly DiagnosticDescriptor TooManySpans = new("NT2011", Severity.Error, "more noise spans per row than sentinels");
    public static readonly DiagnosticDescriptor TokenizerPathIgnored = new("NT2012", Severity.Warning, "the GPT-2 tokenizer ignores the tokenizer path");
    public static readonly DiagnosticDescriptor LegacyIgnoresLearningRate = new("NT2013", Severity.Warning, "the legacy schedule ignores the learning rate");
    public static readonly DiagnosticDescriptor MoreProcessesThanRows = new("NT2014", Severity.Error, "more processes than rows in a micro-batch");

    public static readonly DiagnosticDescriptor OwnCorpusNeedsValidation = new("NT2020", Severity.Error, "your own pretraining corpus has no validation sources");

    public static readonly DiagnosticDescriptor PropertyNameTypo = new("NT3001", Severity.Warning, "a property name looks like a misspelt NanoT5 property (or one without the NanoT5 prefix)");
    public static readonly DiagnosticDescriptor SecretInProperty = new("NT3002", Severity.Error, "a secret is set as an MSBuild property");
    public static readonly DiagnosticDescriptor UnknownProperty = new("NT3003", Severity.Error, "a NanoT5 property the SDK does not know");
    public static readonly DiagnosticDescriptor UnknownPropertyAllowed = new("NT3004", Severity.Warning, "a NanoT5 property the SDK does not know (NanoT5UnknownProperties is warning)");

    public static readonly DiagnosticDescriptor RunFailed = new("NT4001", Severity.Error, "the run exited with a non-zero code");
    public static readonly DiagnosticDescriptor SweepEmpty = new("NT4002", Severity.Error, "the sweep has no NanoT5SweepRun items");
    public static readonly DiagnosticDescriptor SweepRunFailed = new("NT4003", Severity.Error, "one or more sweep runs failed");
    public static readonly DiagnosticDescriptor SweepMetadataUnknown = new("NT4004", Severity.Error, "a sweep run sets something that is not a NanoT5 setting");
    public static readonly DiagnosticDescriptor SweepRunDuplicate = new("NT4005", Severity.Error, "two sweep runs have the same name");
    public static readonly DiagnosticDescriptor InitFromMissingAtLaunch = new("NT4006", Severity.Error, "the weights to start from do not exist when the run is launched");
    public static readonly DiagnosticDescriptor RunInterrupted = new("NT4007", Severity.Error, "the run was stopped by Ctrl+C or SIGTERM (checkpointed: resume with the same command)");

    /// <summary>Every code, in order.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = typeof(DiagnosticCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .OrderBy(d => d.Code, StringComparer.Ordinal)
        .ToList();
}
