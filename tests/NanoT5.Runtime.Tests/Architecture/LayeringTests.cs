// The runtime's folders form one-way layers (docs/architecture.md draws them): a folder may use the folders
// listed before it in Order, never one after it. A new folder gets its place here deliberately.
using System.Text.RegularExpressions;

namespace NanoT5.Tests.Architecture;

public sealed partial class LayeringTests
{
    // Lower layers first. Keep docs/architecture.md in step.
    private static readonly string[] Order =
    [
        // foundation
        "Native", "IO", "Model", "Config",

        // the parts of a run
        "Optim", "Data", "Evaluation", "Checkpoints", "Tracking", "Distributed", "Finetune",

        // ONNX export and ONNX Runtime inference of a model (reads Model and Checkpoints; Runs and Cli use it)
        "Export",

        // the loop
        "Training",

        // whole runs and the other things one can run
        "Runs", "Benchmarks", "Verification",

        // the command line
        "Cli",
    ];

    private static string RuntimeSources => TestPaths.Repo("src", "NanoT5.Runtime");

    [Fact]
    public void RuntimeFolders_UseOnlyFoldersBelowThem()
    {
        var runtime = typeof(global::NanoT5.Config.ExperimentConfig).Assembly;
        IEnumerable<FolderDependency> uses = FolderDependencies.Read(runtime.Location, "NanoT5")
            .Concat(FolderDependencies.ReadSources(RuntimeSources, FolderDependencies.Members(runtime.GetTypes(), "NanoT5"), "NanoT5"));

        IReadOnlyList<string> violations = FolderDependencies.Violations(uses, Order);

        Assert.True(violations.Count == 0, "uses of a folder above (layer order: " + string.Join(" < ", Order) + "):\n" + string.Join("\n", violations));
    }

    [Fact]
    public void EveryRuntimeFolder_HasAPlaceInTheOrder()
    {
        // build/ holds MSBuild targets only; the C# of their task is Native/ElfFormat.cs (see the next test).
        var folders = Directory.GetDirectories(RuntimeSources).Select(Path.GetFileName)
            .Where(f => f is not ("bin" or "obj" or "build"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(Order.Order(StringComparer.Ordinal), folders);
    }

    [Fact]
    public void EveryRuntimeSource_DeclaresItsFoldersNamespace()
    {
        var wrong = Directory.GetDirectories(RuntimeSources)
            .Where(d => Path.GetFileName(d) is not ("bin" or "obj" or "build"))
            .SelectMany(d => Directory.GetFiles(d, "*.cs", SearchOption.AllDirectories)
                .Where(f => FileNamespace().Match(File.ReadAllText(f)) is not { Success: true } m
                    || !(m.Groups[1].Value + ".").StartsWith("NanoT5." + Path.GetFileName(d) + ".", StringComparison.Ordinal))
                .Select(f => Path.GetRelativePath(RuntimeSources, f)))
            .ToList();

        Assert.True(wrong.Count == 0, "these files' namespace is not NanoT5.<their top folder>, so the layering test would misplace them:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void TheBuildFolder_HoldsNoCode_ItsTaskCompilesNativesElfSource_WhichNeedsNothingOfTheRuntime()
    {
        string build = Path.Combine(RuntimeSources, "build");
        string elf = Path.Combine(RuntimeSources, "Native", "ElfFormat.cs");

        Assert.Empty(Directory.GetFiles(build, "*.cs", SearchOption.AllDirectories));
        Assert.Contains(
            """<Code Type="Class" Language="cs" Source="$(MSBuildThisFileDirectory)../Native/ElfFormat.cs" />""",
            File.ReadAllText(Path.Combine(build, "NativeFix.targets")),
            StringComparison.Ordinal);
        // MSBuild's inline task factory compiles the file alone: a use of another runtime type would break every build.
        Assert.Equal(["NanoT5.Native"], RuntimeNamespaceUse().Matches(File.ReadAllText(elf)).Select(m => m.Value).Distinct());
    }

    [Fact]
    public void TheCheck_NamesATypeThatUsesAFolderAboveIt_WhereverTheUseHides()
    {
        IReadOnlyList<FolderDependency> uses = FolderDependencies.Read(typeof(LayeringTests).Assembly.Location, LayeringFixture.Root);

        IReadOnlyList<string> violations = FolderDependencies.Violations(uses, ["Lower", "Upper"]);

        string prefix = LayeringFixture.Root + ".";
        Assert.Equal(
            [
                $"{prefix}Lower.UsesInABody (Lower) uses {prefix}Upper.Key (Upper), a folder above it",
                $"{prefix}Lower.UsesInAGenericArgument (Lower) uses {prefix}Upper.Key (Upper), a folder above it",
                $"{prefix}Lower.UsesInALambda (Lower) uses {prefix}Upper.Key (Upper), a folder above it",
                $"{prefix}Lower.UsesInASignature (Lower) uses {prefix}Upper.Key (Upper), a folder above it",
            ],
            violations);
        Assert.Empty(FolderDependencies.Violations(uses, ["Upper", "Lower"]));
    }

    [Fact]
    public void TheCheck_ReportsAFolderMissingFromTheOrder()
    {
        IReadOnlyList<FolderDependency> uses = FolderDependencies.Read(typeof(LayeringTests).Assembly.Location, LayeringFixture.Root);

        string line = Assert.Single(FolderDependencies.Violations(uses, ["Lower"]), l => l.Contains("UsesInABody", StringComparison.Ordinal));

        Assert.EndsWith("but folder Upper has no place in the layer order", line, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSourceCheck_SeesUsingsAliasesStaticsAndQualifiedNames_ButNotCommentsOrStrings()
    {
        var folders = new Dictionary<string, HashSet<string>>
        {
            ["Model"] = ["T5Config"], ["Cli"] = ["ExitCodes"], ["Data"] = ["Pipeline"], ["Tracking"] = ["MetricNames"],
            ["Optim"] = ["Adafactor"], ["Training"] = ["RunFolderLayout"], ["Config"] = ["ExperimentConfig"],
        };
        const string Source = """"
            // Ports NanoT5.Optim.Adafactor's idea; see NanoT5.Optim too.
            using NanoT5.Data.Pipeline;
            using static NanoT5.Cli.ExitCodes;
            using Names = NanoT5.Tracking.MetricNames;
            /* NanoT5.Optim in a block comment */
            namespace NanoT5.Model;
            internal static class Uses
            {
                public static int Code(ExperimentConfig config) => NanoT5.Runtime.Version.Length + System.Math.Max(1, 2) + config.Optim.Adafactor.Length;

                public static string Downloads => Training.RunFolderLayout.DownloadsDirectory;

                public const string Help = "calls NanoT5.Cli.CommandLine.Run; see http://example.org/NanoT5.Optim";

                public const string Verbatim = @"NanoT5.Optim.Adafactor ""quoted""";
            }
            """";

        var uses = FolderDependencies.ReadSource("Model", "Model/Uses.cs", Source, "NanoT5", folders);

        Assert.Equal(["Cli", "Data", "Tracking", "Training"], uses.Select(u => u.ToFolder));
        Assert.Equal(
            [
                "Model/Uses.cs (Model) uses NanoT5.Cli (Cli), a folder above it",
                "Model/Uses.cs (Model) uses NanoT5.Data (Data), a folder above it",
                "Model/Uses.cs (Model) uses NanoT5.Training (Training), a folder above it",
            ],
            FolderDependencies.Violations(uses, ["Tracking", "Model", "Data", "Cli", "Training"]));
    }

    [GeneratedRegex(@"^namespace ([A-Za-z0-9.]+);", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"\bNanoT5\.[A-Za-z0-9]+")]
    private static partial Regex RuntimeNamespaceUse();
}
