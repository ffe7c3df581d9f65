namespace LeakGuard.Investigation;

/// <summary>
/// The distinct call stacks a recording saw, kept as code addresses, and the names of the code they run through, learned
/// at the end from the runtime's rundown (one event per method with native code: its address range, name and module).
/// Used by one thread (the session's reader).
/// </summary>
/// <remarks>
/// Bounded: at most <c>maxStacks</c> distinct stacks of at most <see cref="MaxFrames"/> frames each (innermost kept:
/// the folded stack shows the 12 innermost frames outside LeakGuard and the runtime), so at most
/// 8 × <see cref="MaxFrames"/> × <c>maxStacks</c> bytes of addresses (10 MB at the recording's 20 000) plus a few words per
/// stack; of the rundown, only the methods some kept address falls in are kept. Nothing else of the stream is kept.
/// </remarks>
internal sealed class RecordedStacks
{
    /// <summary>The most frames kept per stack (innermost first).</summary>
    public const int MaxFrames = 64;

    private readonly int _maxStacks;
    private readonly Dictionary<ulong, int> _byHash = [];
    private readonly List<(int Offset, int Length)> _stacks = [];
    private readonly List<(ulong Start, uint Size, string Name, long Module)> _methods = [];
    private readonly Dictionary<long, string> _modules = [];
    private ulong[] _frames = new ulong[1024];
    private int _used;
    private ulong[]? _addresses;
    private bool _sorted;

    /// <summary>Initializes a new instance of the <see cref="RecordedStacks"/> class.</summary>
    /// <param name="maxStacks">The most distinct stacks kept.</param>
    public RecordedStacks(int maxStacks) => _maxStacks = maxStacks;

    /// <summary>Gets the number of distinct stacks kept.</summary>
    public int Count => _stacks.Count;

    /// <summary>Gets the number of methods of the rundown kept (those some kept address falls in).</summary>
    public int MethodsKept => _methods.Count;

    /// <summary>Returns the id of a stack, keeping it if it is new.</summary>
    /// <param name="frames">The stack's addresses, innermost first (at most <see cref="MaxFrames"/> are kept).</param>
    /// <returns>Its id, or <see cref="AllocationTally.NoStack"/> when it is empty or new and the cap is reached.</returns>
    public int Intern(ReadOnlySpan<ulong> frames)
    {
        if (frames.IsEmpty)
        {
            return AllocationTally.NoStack;
        }

        frames = frames[..Math.Min(frames.Length, MaxFrames)];
        var hash = Hash(frames);
        if (_byHash.TryGetValue(hash, out var id))
        {
            var (offset, length) = _stacks[id];
            // Two different stacks with one 64-bit hash: the later one is counted under no stack.
            return frames.SequenceEqual(_frames.AsSpan(offset, length)) ? id : AllocationTally.NoStack;
        }

        if (_stacks.Count >= _maxStacks)
        {
            return AllocationTally.NoStack;
        }

        if (_used + frames.Length > _frames.Length)
        {
            Array.Resize(ref _frames, Math.Max(_frames.Length * 2, _used + frames.Length));
        }

        frames.CopyTo(_frames.AsSpan(_used));
        id = _stacks.Count;
        _stacks.Add((_used, frames.Length));
        _used += frames.Length;
        _byHash[hash] = id;
        _addresses = null;
        return id;
    }

    /// <summary>Notes a module of the rundown (its id and file path).</summary>
    /// <param name="moduleId">The runtime's module id.</param>
    /// <param name="path">The module's file path (its IL image).</param>
    public void AddModule(long moduleId, string path) =>
        _modules[moduleId] = string.IsNullOrEmpty(path) ? string.Empty : Path.GetFileNameWithoutExtension(path);

    /// <summary>Whether a kept stack runs through the code at [<paramref name="start"/>, <paramref name="start"/> + <paramref name="size"/>).</summary>
    /// <param name="start">A method's native code's start address.</param>
    /// <param name="size">Its size in bytes.</param>
    /// <returns><see langword="true"/> when some kept address lies in it: the method is worth naming.</returns>
    public bool RunsThrough(ulong start, uint size)
    {
        var addresses = Addresses();
        var i = LowerBound(addresses, start);
        return i < addresses.Length && addresses[i] - start < size;
    }

    /// <summary>Names the code of a method of the rundown (call it for the methods <see cref="RunsThrough"/> accepts).</summary>
    /// <param name="start">Its native code's start address.</param>
    /// <param name="size">Its native code's size in bytes.</param>
    /// <param name="methodNamespace">The runtime's namespace-qualified type name.</param>
    /// <param name="methodName">The method's name.</param>
    /// <param name="signature">The method's signature as the runtime writes it (<c>instance void (int64)</c>).</param>
    /// <param name="moduleId">Its module's id.</param>
    public void AddMethod(ulong start, uint size, string methodNamespace, string methodName, string signature, long moduleId)
    {
        if (!RunsThrough(start, size))
        {
            return;
        }

        _methods.Add((start, size, FullName(methodNamespace, methodName, signature), moduleId));
        _sorted = false;
    }

    /// <summary>The frames of a kept stack, innermost first, named where the rundown named their code.</summary>
    /// <param name="id">The stack's id.</param>
    /// <returns>Per frame its method's full name and module; both empty when no method of the rundown holds the address.</returns>
    public IEnumerable<(string Method, string Module)> Frames(int id)
    {
        if (!_sorted)
        {
            _methods.Sort(static (a, b) => a.Start.CompareTo(b.Start));
            _sorted = true;
        }

        var (offset, length) = _stacks[id];
        for (var i = 0; i < length; i++)
        {
            yield return Name(_frames[offset + i]);
        }
    }

    /// <summary>The method's name as TraceEvent's <c>TraceLog</c> writes it: <c>Namespace.Type.Method(arguments)</c>.</summary>
    internal static string FullName(string methodNamespace, string methodName, string signature)
    {
        var arguments = signature.IndexOf('(', StringComparison.Ordinal);
        var name = string.IsNullOrEmpty(methodNamespace) ? methodName : methodNamespace + "." + methodName;
        return arguments < 0 ? name : name + signature[arguments..];
    }

    private (string Method, string Module) Name(ulong address)
    {
        // The last method starting at or before the address, if the address lies within its code.
        int lo = 0, hi = _methods.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_methods[mid].Start <= address)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (found < 0 || address - _methods[found].Start >= _methods[found].Size)
        {
            return (string.Empty, string.Empty);
        }

        var method = _methods[found];
        return (method.Name, _modules.GetValueOrDefault(method.Module) ?? string.Empty);
    }

    private ulong[] Addresses()
    {
        if (_addresses is null)
        {
            var all = _frames.AsSpan(0, _used).ToArray();
            Array.Sort(all);
            _addresses = all;
        }

        return _addresses;
    }

    private static int LowerBound(ulong[] sorted, ulong value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static ulong Hash(ReadOnlySpan<ulong> frames)
    {
        // FNV-1a over the addresses, each mixed first (code addresses share their high bits).
        var hash = 14695981039346656037UL;
        foreach (var frame in frames)
        {
            var x = frame * 0x9E3779B97F4A7C15UL;
            x ^= x >> 29;
            hash = (hash ^ x) * 1099511628211UL;
        }

        return hash ^ (ulong)frames.Length;
    }
}
