namespace LeakGuard.IntegrationTests;

/// <summary>Finds the repository's root (the folder holding LeakGuard.sln) from the test's output folder.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LeakGuard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"LeakGuard.sln not found above {AppContext.BaseDirectory}.");
    }
}
