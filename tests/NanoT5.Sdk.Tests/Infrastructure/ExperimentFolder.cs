// A throwaway experiment: a folder with a .t5proj (and any other files), deleted afterwards.
namespace NanoT5.Sdk.Tests.Infrastructure;

internal sealed class ExperimentFolder : IDisposable
{
    private ExperimentFolder(string path, string projectName)
    {
        Path = path;
        ProjectFile = System.IO.Path.Combine(path, projectName + ".t5proj");
        Directory.CreateDirectory(path);
    }

    public string Path { get; }

    public string ProjectFile { get; }

    /// <summary>
    /// A folder inside the repository (artifacts/sdk-tests, git-ignored): Sdk="NanoT5.Sdk" resolves to the repository's
    /// SDK and the runtime is a project reference, exactly as for experiments/.
    /// </summary>
    public static ExperimentFolder InRepo(string project, string projectName = "exp")
    {
        var folder = new ExperimentFolder(Repo.Path("artifacts", "sdk-tests", Guid.NewGuid().ToString("N")[..12]), projectName);
        File.WriteAllText(folder.ProjectFile, project);
        return folder;
    }

    /// <summary>A folder under the system temp directory, outside any repository.</summary>
    public static ExperimentFolder Outside(string projectName = "exp") =>
        new(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nanot5-sdk-tests", Guid.NewGuid().ToString("N")[..12]), projectName);

    public string Write(string relativePath, string text)
    {
        string full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    /// <summary>The 1-based line of the first line of the project containing <paramref name="text"/>.</summary>
    public int LineOf(string text, string? file = null)
    {
        string[] lines = File.ReadAllLines(file ?? ProjectFile);
        int index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        Assert.True(index >= 0, $"'{text}' is not in {file ?? ProjectFile}");
        return index + 1;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
