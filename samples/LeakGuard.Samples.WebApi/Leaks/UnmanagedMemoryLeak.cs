using System.Runtime.InteropServices;

namespace LeakGuard.Samples.WebApi.Leaks;

/// <summary>Native buffers allocated with AllocHGlobal and never freed: invisible to the GC, visible in RSS.</summary>
public sealed class UnmanagedMemoryLeak : ILeak
{
    private const int BufferBytes = 64 * 1024;
    private readonly List<IntPtr> _buffers = [];

    public string Name => "unmanaged";

    public string Description => "64 KB Marshal.AllocHGlobal buffers never freed (signals native_memory and process_memory; the managed heap stays flat).";

    public long Held { get { lock (_buffers) { return _buffers.Count; } } }

    public unsafe void Step()
    {
        var buffer = Marshal.AllocHGlobal(BufferBytes);
        // Touch every page, or the kernel never backs it and RSS does not move.
        new Span<byte>((void*)buffer, BufferBytes).Fill(0x5A);
        lock (_buffers)
        {
            _buffers.Add(buffer);
        }
    }

    public void Release()
    {
        lock (_buffers)
        {
            foreach (var buffer in _buffers)
            {
                Marshal.FreeHGlobal(buffer);
            }

            _buffers.Clear();
        }
    }
}
