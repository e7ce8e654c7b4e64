using NanoT5.Tracking.Local;

namespace NanoT5.Tests.Tracking.Local;

public sealed class GitCommitTests
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private const string Other = "fedcba9876543210fedcba9876543210fedcba98";

    [Fact]
    public void Find_resolves_a_branch_from_a_loose_ref_in_a_parent_folder()
    {
        using var temp = TestPaths.NewTempFolder();
        Write(temp.File(".git/HEAD"), "ref: refs/heads/main\n");
        Write(temp.File(".git/refs/heads/main"), Commit + "\n");
        Directory.CreateDirectory(temp.File("src/deep"));

        Assert.Equal(Commit, GitCommit.Find(temp.File("src/deep")));
    }

    [Fact]
    public void Find_resolves_a_branch_from_packed_refs_and_a_detached_head()
    {
        using var temp = TestPaths.NewTempFolder();
        Write(temp.File(".git/HEAD"), "ref: refs/heads/feature/x\n");
        Write(temp.File(".git/packed-refs"), $"# pack-refs with: peeled fully-peeled sorted\n{Other} refs/heads/main\n{Commit} refs/heads/feature/x\n");
        Assert.Equal(Commit, GitCommit.Find(temp.Path));

        Write(temp.File(".git/HEAD"), Other + "\n");
        Assert.Equal(Other, GitCommit.Find(temp.Path));
    }

    [Fact]
    public void Find_follows_a_worktree_gitdir_file_to_the_common_repository()
    {
        using var temp = TestPaths.NewTempFolder();
        Write(temp.File("repo/.git/refs/heads/feature"), Commit + "\n");
        Write(temp.File("repo/.git/worktrees/wt/HEAD"), "ref: refs/heads/feature\n");
        Write(temp.File("repo/.git/worktrees/wt/commondir"), "../..\n");
        Write(temp.File("wt/.git"), $"gitdir: {temp.File("repo/.git/worktrees/wt")}\n");

        Assert.Equal(Commit, GitCommit.Find(temp.File("wt")));
    }

    [Fact]
    public void Find_is_null_outside_a_repository_or_for_an_unborn_branch()
    {
        using var temp = TestPaths.NewTempFolder();
        Assert.Null(GitCommit.Find("/"));

        Write(temp.File(".git/HEAD"), "ref: refs/heads/main\n");
        Assert.Null(GitCommit.Find(temp.Path));
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
