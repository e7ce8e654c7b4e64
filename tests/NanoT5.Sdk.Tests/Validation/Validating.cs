// Runs the validator in process on a .t5proj written from a list of properties, one per line.
using NanoT5.Sdk.Diagnostics;
using NanoT5.Sdk.Settings;
using NanoT5.Sdk.Validation;
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Validation;

internal sealed class Validating : IDisposable
{
    private readonly ExperimentFolder folder = ExperimentFolder.Outside();

    public string ProjectFile => folder.ProjectFile;

    public string Folder => folder.Path;

    /// <summary>
    /// Validates a project whose PropertyGroup holds <paramref name="properties"/> (property i is on line 3 + i);
    /// <paramref name="globals"/> act as -p: properties, <paramref name="environment"/> as environment variables.
    /// </summary>
    public IReadOnlyList<ProjectDiagnostic> Run(
        (string Name, string Value)[] properties,
        string? mode = null,
        IReadOnlyDictionary<string, string>? globals = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        File.WriteAllLines(ProjectFile, [
            "<Project Sdk=\"NanoT5.Sdk\">",
            "  <PropertyGroup>",
            .. properties.Select(p => $"    <{p.Name}>{System.Security.SecurityElement.Escape(p.Value)}</{p.Name}>"),
            "  </PropertyGroup>",
            "</Project>",
        ]);
        var values = (environment ?? new Dictionary<string, string>()).Select(e => (e.Key, e.Value))
            .Concat(properties)
            .Concat((globals ?? new Dictionary<string, string>()).Select(g => (g.Key, g.Value)))
            .GroupBy(p => p.Item1, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last().Item2, StringComparer.OrdinalIgnoreCase);
        var locator = new PropertyLocator(ProjectFile, [], [], globals ?? new Dictionary<string, string>(), name => environment is not null && environment.TryGetValue(name, out string? v) ? v : null);
        IReadOnlyList<ProjectDiagnostic> diagnostics = ExperimentValidator.Validate(ExperimentSettings.Read(values, mode), Folder, locator);
        foreach (ProjectDiagnostic d in diagnostics)
        {
            ProducedDiagnostics.Record(d.Descriptor.Code);
        }

        return diagnostics;
    }

    /// <summary>The line a property of <see cref="Run"/> is on.</summary>
    public static int LineOf(int propertyIndex) => 3 + propertyIndex;

    /// <summary>What a valid pretraining project needs besides the property under test.</summary>
    public static (string, string)[] Valid(params (string Name, string Value)[] more) =>
        [("NanoT5TrainSources", "builtin:dotnet-docs"), ("NanoT5Tokenizer", "gpt2"), .. more];

    public void Dispose() => folder.Dispose();
}
