// Where tests find their committed data and the build's own facts.
using System.Reflection;

namespace NanoT5.Tests;

internal static class TestPaths
{
    public static string ParityFixture => Path.Combine(AppContext.BaseDirectory, "fixtures", "t5-parity-tiny");

    /// <summary>A committed tokenizer fixture (tests/fixtures/tokenizers).</summary>
    public static string Tokenizer(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "tokenizers", name);

    /// <summary>A path in the repository (eng/ scripts).</summary>
    public static string Repo(params string[] parts) => Path.Combine([Metadata("RepoRoot"), .. parts]);

    public static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    /// <summary>A fresh folder under the system temp directory, deleted by the caller's using.</summary>
    public static TempFolder NewTempFolder() => new();

    /// <summary>Gives <paramref name="existing"/> a second name (link(2): a hard link, as `ln` makes).</summary>
    public static void HardLink(string existing, string newName) =>
        Assert.True(Link(existing, newName) == 0, $"link {existing} {newName}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string newName);
}

internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nanot5-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
