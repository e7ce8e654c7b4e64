// All checks of one experiment, placed at the file and line of the property they are about.
using NanoT5.Config.Settings;
using NanoT5.Sdk.Diagnostics;
using NanoT5.Sdk.Settings;

namespace NanoT5.Sdk.Validation;

internal static class ExperimentValidator
{
    /// <summary>Every diagnostic for <paramref name="settings"/>, errors and warnings, in rule order.</summary>
    public static IReadOnlyList<ProjectDiagnostic> Validate(ExperimentSettings settings, string projectDirectory, PropertyLocator locator)
    {
        var diagnostics = new List<ProjectDiagnostic>();
        IEnumerable<Finding> findings = settings.Problems
            .Concat(PathRules.Check(settings, projectDirectory))
            .Concat(CrossFieldRules.Check(settings));
        foreach (Finding finding in findings)
        {
            diagnostics.Add(Place(finding, settings, locator));
        }

        IEnumerable<(string Name, PropertyLocation Location)> names = locator.PropertiesInFiles.Concat(locator.GlobalProperties);
        bool unknownIsError = settings[SettingTable.UnknownProperties].Text != "warning";
        foreach ((Finding finding, PropertyLocation location) in NameRules.Check(names, unknownIsError))
        {
            diagnostics.Add(At(finding, location, finding.Properties[0]));
        }

        return diagnostics;
    }

    // The first property of the finding that the project set gives the location; defaults have none.
    private static ProjectDiagnostic Place(Finding finding, ExperimentSettings settings, PropertyLocator locator)
    {
        foreach (string property in finding.Properties)
        {
            Setting? setting = SettingTable.Find(property);
            if (setting is not null && settings.IsSet(setting) && !(setting == SettingTable.Mode && settings.ModeFromTarget))
            {
                return At(finding, locator.Locate(property, settings[setting].Text), property);
            }
        }

        return At(finding, locator.Locate(finding.Properties[0], null), finding.Properties[0]);
    }

    private static ProjectDiagnostic At(Finding finding, PropertyLocation location, string property) =>
        new(finding.Descriptor, finding.Message + location.Note(property), location.File, location.Line, location.Column);
}
