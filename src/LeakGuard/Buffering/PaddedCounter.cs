using System.Runtime.InteropServices;

namespace LeakGuard.Buffering;

/// <summary>A counter alone on its cache line (64 bytes of padding on each side), so that threads polling it do
/// not invalidate the neighbouring fields of the object that holds it. Not nested in a generic type: the
/// runtime refuses explicit layout there.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedCounter
{
    /// <summary>The value.</summary>
    [FieldOffset(64)]
    public long Value;
}
