using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// Leak: unmanaged buffers (NativeMemory.Alloc) that are never freed. Every page is written so the
/// memory is resident: RSS and native memory grow, the managed heap stays flat.
/// </summary>
internal sealed unsafe class NativeMemoryScenario : RateScenario
{
    private const int BlockBytes = 256 * 1024;
    private const int PageBytes = 4096;
    private readonly List<nint> _blocks = [];

    public NativeMemoryScenario(double bytesPerSecond)
        : base(bytesPerSecond / BlockBytes)
    {
    }

    public override string Description => $"NativeMemory.Alloc blocks of {BlockBytes / 1024} KiB, pages touched, never freed";

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override void RunOnce(long sequence)
    {
        var block = (byte*)NativeMemory.Alloc(BlockBytes);
        for (var offset = 0; offset < BlockBytes; offset += PageBytes)
        {
            block[offset] = (byte)sequence;
        }

        _blocks.Add((nint)block);

        // The request that needed the block also leaves ordinary garbage behind, so collections keep
        // coming (and with them LeakGuard's post-GC readings) while the managed heap stays flat.
        var scratch = new byte[128 * 1024];
        scratch[^1] = block[0];
    }
}
