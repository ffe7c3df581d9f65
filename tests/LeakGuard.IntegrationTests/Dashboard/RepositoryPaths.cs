namespace LeakGuard.IntegrationTests.Dashboard;

/// <summary>Finds the repository root (the folder with LeakGuard.sln) and the artifacts folder for screenshots.</summary>
internal static class RepositoryPaths
{
    public static string Root => RepositoryRoot.Find();

    public static string Artifacts(string folder)
    {
        var path = Path.Combine(Root, "artifacts", folder);
        Directory.CreateDirectory(path);
        return path;
    }
}
