using System.Runtime.CompilerServices;

namespace LeakGuard.LeakZoo.Scenarios;

// The leaked objects carry their payload inline (fixed-size buffers inside the object) rather than in
// a separate byte[]: a heap diff then ranks the leaked class itself first by both count and shallow
// bytes, instead of System.Byte[] with the class one hop further down the retention path.

/// <summary>A 4 KiB inline buffer.</summary>
[InlineArray(4096)]
internal struct Payload4K
{
    private byte _element;
}

/// <summary>A 16 KiB inline buffer.</summary>
[InlineArray(16 * 1024)]
internal struct Payload16K
{
    private byte _element;
}

/// <summary>A 32 KiB inline buffer (still below the 85,000-byte large-object threshold).</summary>
[InlineArray(32 * 1024)]
internal struct Payload32K
{
    private byte _element;
}
