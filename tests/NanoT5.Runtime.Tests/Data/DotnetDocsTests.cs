using NanoT5.Data.BuiltIn;

namespace NanoT5.Tests.Data;

public sealed class DotnetDocsTests
{
    [Theory]
    [InlineData("M:System.String.Concat(System.Object)", "Concat")]
    [InlineData("T:System.Collections.Generic.List`1", "List")]
    [InlineData("P:System.Array.Length", "Length")]
    [InlineData("M:System.String.#ctor(System.Char[])", "String")]
    [InlineData("M:System.Linq.Enumerable.Select``2(System.Collections.Generic.IEnumerable{``0},System.Func{``0,``1})", "Select")]
    [InlineData("Plain", "Plain")]
    public void CrefName_CodeReference_IsTheNameItStandsFor(string cref, string expected) =>
        Assert.Equal(expected, DotnetDocs.CrefName(cref));

    [Fact]
    public void CrefName_ConstructorNotAsType_IsCtor() =>
        Assert.Equal("#ctor", DotnetDocs.CrefName("M:System.String.#ctor(System.Char[])", constructorAsType: false));

    [Fact]
    public void PackFiles_TakeTheNewestVersionAndFrameworkThatHaveXmlDocs_InOrdinalOrder()
    {
        using TempFolder pack = TestPaths.NewTempFolder();
        void Docs(string version, string framework, params string[] files)
        {
            string folder = Path.Combine(pack.Path, version, "ref", framework);
            Directory.CreateDirectory(folder);
            foreach (string file in files)
            {
                File.WriteAllText(Path.Combine(folder, file), "<doc />");
            }
        }

        Docs("9.0.11", "net9.0", "System.Runtime.xml");
        Docs("10.0.0", "net9.0", "Old.xml");
        Docs("10.0.0", "net10.0", "b.xml", "B.xml", "a.xml");
        Docs("10.0.1", "net10.0"); // a newer version without docs is passed over

        (IReadOnlyList<string> files, string version) = DotnetDocs.PackFiles(pack.Path)!.Value;

        Assert.Equal("10.0.0", version);
        Assert.Equal(["B.xml", "a.xml", "b.xml"], files.Select(Path.GetFileName));
        Assert.Null(DotnetDocs.PackFiles(Path.Combine(pack.Path, "missing")));
    }
}
