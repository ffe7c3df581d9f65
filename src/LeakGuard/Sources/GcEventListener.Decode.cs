using System.Collections.ObjectModel;

namespace LeakGuard.Sources;

/// <content>Decoding the runtime's GC event payloads by position.</content>
internal sealed partial class GcEventListener
{
    // Event ids of the runtime provider (ClrEtwAll.man); ids are stable across versions, payloads only grow.
    internal const int GCStartId = 1;
    internal const int GCEndId = 2;
    internal const int GCRestartEEEndId = 3;
    internal const int GCHeapStatsId = 4;
    internal const int GCSuspendEEBeginId = 9;

    private long _droppedCount;

    private void Dispatch(int eventId, DateTime timestamp, ReadOnlyCollection<object?> payload)
    {
        if (timestamp.Kind == DateTimeKind.Local)
        {
            timestamp = timestamp.ToUniversalTime();
        }

        switch (eventId)
        {
            case GCSuspendEEBeginId:
                // Reason, Count, ClrInstanceID
                _builder.OnSuspendBegin(timestamp, (int)Read(payload, 0));
                break;
            case GCStartId:
                // Count, Depth, Reason, Type, ClrInstanceID, ClientSequenceNumber
                _builder.OnStart(Read(payload, 0), (int)Read(payload, 1), (int)Read(payload, 2), (int)Read(payload, 3));
                break;
            case GCEndId:
                // Count, Depth, ClrInstanceID
                _builder.OnEnd(timestamp, Read(payload, 0));
                break;
            case GCHeapStatsId:
                _builder.OnHeapStats(timestamp, DecodeHeapStats(payload));
                break;
            case GCRestartEEEndId:
                _builder.OnRestartEnd(timestamp);
                break;
            default:
                break;
        }
    }

    /// <summary>GCHeapStats_V2: GenerationSize0, TotalPromotedSize0, … GenerationSize3, TotalPromotedSize3 (0–7),
    /// FinalizationPromotedSize (8), FinalizationPromotedCount (9), PinnedObjectCount (10), SinkBlockCount (11),
    /// GCHandleCount (12), ClrInstanceID (13), GenerationSize4 (14), TotalPromotedSize4 (15).</summary>
    internal static GcHeapStats DecodeHeapStats(IReadOnlyList<object?> payload)
    {
        var hasPoh = payload.Count > 15;
        return new GcHeapStats(
            Gen0: Read(payload, 0),
            Gen1: Read(payload, 2),
            Gen2: Read(payload, 4),
            Loh: Read(payload, 6),
            Poh: hasPoh ? Read(payload, 14) : -1,
            PromotedBytes: Read(payload, 1) + Read(payload, 3) + Read(payload, 5) + Read(payload, 7) + (hasPoh ? Read(payload, 15) : 0),
            FinalizationPromotedCount: Read(payload, 9),
            PinnedObjectCount: Read(payload, 10),
            GcHandleCount: Read(payload, 12));
    }

    /// <summary>Unboxes an integer field whatever its declared width; a missing or non-integer field reads as 0.</summary>
    internal static long Read(IReadOnlyList<object?> payload, int index) => index < payload.Count
        ? payload[index] switch
        {
            ulong v => v > long.MaxValue ? long.MaxValue : (long)v,
            uint v => v,
            ushort v => v,
            long v => v,
            int v => v,
            short v => v,
            byte v => v,
            _ => 0,
        }
        : 0;
}
