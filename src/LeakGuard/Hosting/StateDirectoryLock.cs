using System.Globalization;
using System.Text;
using LeakGuard.Storage;

namespace LeakGuard.Hosting;

/// <summary>
/// The claim of one instance on a <c>StateDirectory</c>: <see cref="FileName"/> opened with <see cref="FileShare.None"/> and held
/// until disposed (on Linux .NET takes an exclusive advisory <c>flock</c>, which excludes a second open from this and from any other
/// process and which the kernel drops when the owner dies, so a stale lock is simply taken over). The lock file holds the owner's
/// process id for operators; since .NET's own locking refuses other .NET readers that file, the id is also published in
/// <see cref="OwnerFileName"/>, which a second instance reads to name the owner.
/// </summary>
internal sealed class StateDirectoryLock : IDisposable
{
    /// <summary>The lock file's name inside the state directory.</summary>
    public const string FileName = "leakguard.lock";

    /// <summary>The name of the file that publishes the owner's process id to other instances.</summary>
    public const string OwnerFileName = "leakguard.lock.owner";

    // EWOULDBLOCK on Linux and macOS, ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION on Windows.
    private const int LinuxWouldBlock = 11;
    private const int MacWouldBlock = 35;
    private const int WindowsSharingViolation = unchecked((int)0x80070020);
    private const int WindowsLockViolation = unchecked((int)0x80070021);

    private readonly string _ownerPath;
    private FileStream? _stream;

    private StateDirectoryLock(FileStream stream, string ownerPath)
    {
        _stream = stream;
        _ownerPath = ownerPath;
    }

    /// <summary>Takes the state directory's lock.</summary>
    /// <param name="directory">The state directory (created when missing).</param>
    /// <param name="held">Set when another live instance holds the lock.</param>
    /// <param name="ownerProcessId">The holder's process id when <paramref name="held"/> and it could be read, else <see langword="null"/>.</param>
    /// <returns>The lock, or <see langword="null"/> when it is held by another instance or could not be taken at all (an unwritable directory, which the state writes report themselves).</returns>
    public static StateDirectoryLock? TryAcquire(string directory, out bool held, out int? ownerProcessId)
    {
        held = false;
        ownerProcessId = null;
        var ownerPath = Path.Combine(directory, OwnerFileName);
        FileStream stream;
        try
        {
            Directory.CreateDirectory(directory);
            stream = new FileStream(Path.Combine(directory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex.HResult is LinuxWouldBlock or MacWouldBlock or WindowsSharingViolation or WindowsLockViolation)
        {
            held = true;
            ownerProcessId = ReadOwner(ownerPath);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var processId = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        try
        {
            stream.SetLength(0);
            stream.Write(processId);
            stream.Flush();
            AtomicFile.Write(ownerPath, string.Create(CultureInfo.InvariantCulture, $"{ownerPath}.{Environment.ProcessId}{AtomicFile.TemporarySuffix}"), processId);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The lock itself is what excludes a second instance; without the published id it is only named less precisely.
        }

        return new StateDirectoryLock(stream, ownerPath);
    }

    /// <summary>Releases the lock (the owner file is removed first, so a later instance never reads a departed owner's id); safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stream, null) is not { } stream)
        {
            return;
        }

        try
        {
            File.Delete(_ownerPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind, it is overwritten by the next owner.
        }

        stream.Dispose();
    }

    private static int? ReadOwner(string ownerPath)
    {
        try
        {
            return int.TryParse(File.ReadAllText(ownerPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
