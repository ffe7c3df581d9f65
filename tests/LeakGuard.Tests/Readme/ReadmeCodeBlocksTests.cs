using Microsoft.CodeAnalysis;
using NUnit.Framework;

namespace LeakGuard.Tests.Readme;

/// <summary>
/// Every C# block of the README compiles as written against the packages it names, and the block after a
/// <c>dotnet add package</c> list needs exactly the packages listed (and what they bring along), no more.
/// </summary>
public sealed class ReadmeCodeBlocksTests
{
    private static IEnumerable<TestCaseData> CsharpBlocks() =>
        MarkdownCodeBlock.Read(Path.Combine(RepositoryRoot(), "README.md"))
            .Where(b => b.Language is "csharp" or "cs" or "c#")
            .Select(b => new TestCaseData(b).SetArgDisplayNames(b.ToString()));

    [Test]
    public void The_readme_has_csharp_blocks_to_compile()
    {
        Assert.That(CsharpBlocks().Count(), Is.GreaterThanOrEqualTo(3), "the one-line start, Using it, and the LeakAssert example");
    }

    [TestCaseSource(nameof(CsharpBlocks))]
    public void Csharp_block_compiles(MarkdownCodeBlock block)
    {
        var compilation = SnippetCompiler.Compile(block);

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToArray();

        Assert.That(errors, Is.Empty, $"{block} does not compile:\n{block.Code}");
    }

    [TestCaseSource(nameof(CsharpBlocks))]
    public void Csharp_block_after_a_package_list_needs_exactly_those_packages(MarkdownCodeBlock block)
    {
        if (block.Packages.Count == 0)
        {
            Assert.Pass("no package list right before this block");
        }

        var used = SnippetCompiler.UsedPackageAssemblies(SnippetCompiler.Compile(block));
        var brought = SnippetCompiler.AssembliesOf(block.Packages);

        Assert.That(used, Is.SubsetOf(brought), $"assemblies {block} uses that no listed package brings");
        foreach (var package in block.Packages)
        {
            Assert.That(used, Does.Contain(package + ".dll"), $"{package} is listed but {block} does not use it");
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LeakGuard.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No LeakGuard.sln above {AppContext.BaseDirectory}.");
    }
}
