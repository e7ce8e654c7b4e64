// Rules that involve more than one property: the runtime's SettingRules (one source, compiled in by link), run over
// the project's properties and reported with the registry's codes. A rule is skipped while one of its inputs is
// unreadable (that input already has its own NT1xxx error).
using NanoT5.Config.Settings;
using NanoT5.Sdk.Diagnostics;
using NanoT5.Sdk.Settings;

namespace NanoT5.Sdk.Validation;

internal static class CrossFieldRules
{
    public static IEnumerable<Finding> Check(ExperimentSettings s) =>
        SettingRules.Errors(s, Property).Concat(SettingRules.Warnings(s, Property))
            .Select(f => new Finding(Descriptor(f.Code), f.Message, f.Settings.Select(Property).ToArray()));

    private static string Property(Setting setting) => setting.Property;

    private static DiagnosticDescriptor Descriptor(string code) => DiagnosticCodes.All.Single(d => d.Code == code);
}
