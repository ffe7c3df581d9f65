using NUnit.Framework;
namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>Keeps each child's output and report under artifacts/zoo/ (git-ignored) for CI diagnostics.</summary>
internal static class ZooArtifacts
{
    public static string Directory { get; } = Path.Combine(ZooPaths.RepositoryRoot, "artifacts", "zoo");

    public static void Write(string name, string content)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllText(Path.Combine(Directory, name), content);
        }
        catch (IOException ex)
        {
            TestContext.Out.WriteLine($"could not keep {name}: {ex.Message}");
        }
    }

    public static void Keep(string file, string name)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.Copy(file, Path.Combine(Directory, name), overwrite: true);
        }
        catch (IOException ex)
        {
            TestContext.Out.WriteLine($"could not keep {name}: {ex.Message}");
        }
    }
}
