// The commit a run was started from, read from the .git folder directly (no git process, works where git
// is not installed). Handles plain checkouts, worktrees and submodules (.git as a "gitdir:" file),
// detached HEADs, loose refs and packed-refs.
namespace NanoT5.Tracking.Local;

/// <summary>Finds the HEAD commit of the repository containing a folder.</summary>
public static class GitCommit
{
    /// <summary>The full hex commit id, or null when <paramref name="startDirectory"/> is not inside a repository.</summary>
    public static string? Find(string startDirectory)
    {
        for (DirectoryInfo? dir = new(Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            string dotGit = Path.Combine(dir.FullName, ".git");
            string? gitDir = Directory.Exists(dotGit) ? dotGit : File.Exists(dotGit) ? ReadGitDirFile(dotGit) : null;
            if (gitDir is not null)
            {
                return ResolveHead(gitDir);
            }
        }

        return null;
    }

    private static string? ReadGitDirFile(string dotGitFile)
    {
        string text = File.ReadAllText(dotGitFile).Trim();
        const string Prefix = "gitdir:";
        return text.StartsWith(Prefix, StringComparison.Ordinal)
            ? Path.GetFullPath(text[Prefix.Length..].Trim(), Path.GetDirectoryName(dotGitFile)!)
            : null;
    }

    private static string? ResolveHead(string gitDir)
    {
        string headFile = Path.Combine(gitDir, "HEAD");
        if (!File.Exists(headFile))
        {
            return null;
        }

        string head = File.ReadAllText(headFile).Trim();
        if (!head.StartsWith("ref:", StringComparison.Ordinal))
        {
            return IsCommitId(head) ? head : null;
        }

        string reference = head[4..].Trim();
        string commonDir = CommonDir(gitDir);
        foreach (string dir in new[] { gitDir, commonDir }.Distinct())
        {
            string loose = Path.Combine(dir, reference);
            if (File.Exists(loose))
            {
                string id = File.ReadAllText(loose).Trim();
                return IsCommitId(id) ? id : null;
            }
        }

        return FromPackedRefs(Path.Combine(commonDir, "packed-refs"), reference);
    }

    // A worktree's git folder names the shared repository folder in its "commondir" file.
    private static string CommonDir(string gitDir)
    {
        string file = Path.Combine(gitDir, "commondir");
        return File.Exists(file) ? Path.GetFullPath(File.ReadAllText(file).Trim(), gitDir) : gitDir;
    }

    private static string? FromPackedRefs(string packedRefs, string reference)
    {
        if (!File.Exists(packedRefs))
        {
            return null;
        }

        foreach (string line in File.ReadLines(packedRefs))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && line.AsSpan(space + 1).SequenceEqual(reference) && IsCommitId(line[..space]))
            {
                return line[..space];
            }
        }

        return null;
    }

    // SHA-1 (40) or SHA-256 (64) repositories.
    private static bool IsCommitId(string text) => text.Length is 40 or 64 && text.All(char.IsAsciiHexDigit);
}
