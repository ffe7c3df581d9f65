namespace LeakGuard.IntegrationTests.Dashboard;

/// <summary>Finds the repository root (the folder with LeakGuard.sln) and the artifacts folder for screenshots.</summary>
internal static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LeakGuard.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("LeakGuard.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Artifacts(string folder)
    {
        var path = Path.Combine(Root, "artifacts", folder);
        Directory.CreateDirectory(path);
        return path;
    }
}
