using System.IO.Enumeration;

namespace LeakGuard.Investigation;

/// <summary>The process's thread ids from <c>/proc/self/task</c>, and the names the threads gave themselves.</summary>
internal static class ThreadIds
{
    private const string TaskDirectory = "/proc/self/task";

    /// <summary>Lists the current thread ids, sorted (one directory listing; no string per thread).</summary>
    /// <returns>The ids, or <see langword="null"/> when <c>/proc/self/task</c> cannot be listed.</returns>
    public static int[]? Read()
    {
        try
        {
            var ids = new List<int>(64);
            var entries = new FileSystemEnumerable<int>(
                TaskDirectory,
                static (ref FileSystemEntry entry) => int.TryParse(entry.FileName, out var id) ? id : -1,
                new EnumerationOptions { IgnoreInaccessible = true, RecurseSubdirectories = false, AttributesToSkip = 0 });
            foreach (var id in entries)
            {
                if (id > 0)
                {
                    ids.Add(id);
                }
            }

            var sorted = ids.ToArray();
            Array.Sort(sorted);
            return sorted;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Reads a thread's name (<c>comm</c>: at most 15 bytes; .NET passes <see cref="Thread.Name"/> to it).</summary>
    /// <param name="id">The thread id.</param>
    /// <returns>The name, or <see langword="null"/> when the thread has ended.</returns>
    public static string? NameOf(int id)
    {
        try
        {
            return File.ReadAllText($"{TaskDirectory}/{id}/comm").TrimEnd('\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
