using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.InteropServices;
using Microsoft.Diagnostics.Tracing;

namespace LeakGuard.Investigation;

/// <summary>
/// Reads the call stack the runtime walked for an EventPipe event — its frames' code addresses, innermost first — straight
/// from the event TraceEvent's <see cref="EventPipeEventSource"/> is dispatching, without a <c>TraceLog</c>. TraceEvent keeps
/// the stack in the event record's extended data (an ETW <c>EVENT_HEADER_EXTENDED_DATA_ITEM</c> of type
/// <c>STACK_TRACE64</c>, or <c>STACK_TRACE32</c> in a 32-bit process) and exposes it only through a <c>TraceLog</c>, whose
/// tables of every event, thread, module and method are what a recording's reader kept alive (about 35 MB measured,
/// docs/performance.md). The record's address is read from TraceEvent's non-public field once per event.
/// </summary>
internal static unsafe class EventStack
{
    private const ushort StackTrace32 = 5;
    private const ushort StackTrace64 = 6;

    // EVENT_RECORD: an 80-byte EVENT_HEADER, a 4-byte ETW_BUFFER_CONTEXT, then ExtendedDataCount (ushort),
    // UserDataLength (ushort) and the ExtendedData pointer — the same offsets in 32- and 64-bit processes.
    private const int ExtendedDataCountOffset = 84;
    private const int ExtendedDataOffset = 88;

    private static readonly Func<TraceEvent, IntPtr>? RecordOf = BuildRecordReader();

    /// <summary>Gets a value indicating whether stacks can be read (TraceEvent still keeps its event record where expected).</summary>
    public static bool Available => RecordOf is not null;

    /// <summary>Copies the event's stack (innermost first) into <paramref name="frames"/>, at most its length.</summary>
    /// <param name="data">The event being dispatched (valid only inside its callback).</param>
    /// <param name="frames">Where the addresses go.</param>
    /// <returns>The number of frames copied; 0 when the event carries no stack.</returns>
    public static int Read(TraceEvent data, Span<ulong> frames)
    {
        if (RecordOf is not { } recordOf)
        {
            return 0;
        }

        var record = (byte*)recordOf(data);
        if (record is null)
        {
            return 0;
        }

        var count = *(ushort*)(record + ExtendedDataCountOffset);
        var items = *(ExtendedDataItem**)(record + ExtendedDataOffset);
        for (var i = 0; i < count && items is not null; i++)
        {
            var item = items[i];
            if (item.ExtType == StackTrace64 && item.DataSize >= sizeof(ulong))
            {
                // A 64-bit match id, then the addresses.
                var addresses = new ReadOnlySpan<ulong>((byte*)item.DataPtr + sizeof(ulong), (item.DataSize - sizeof(ulong)) / sizeof(ulong));
                var n = Math.Min(addresses.Length, frames.Length);
                addresses[..n].CopyTo(frames);
                return n;
            }

            if (item.ExtType == StackTrace32 && item.DataSize >= sizeof(ulong))
            {
                var addresses = new ReadOnlySpan<uint>((byte*)item.DataPtr + sizeof(ulong), (item.DataSize - sizeof(ulong)) / sizeof(uint));
                var n = Math.Min(addresses.Length, frames.Length);
                for (var j = 0; j < n; j++)
                {
                    frames[j] = addresses[j];
                }

                return n;
            }
        }

        return 0;
    }

    private static Func<TraceEvent, IntPtr>? BuildRecordReader()
    {
        try
        {
            var field = typeof(TraceEvent).GetField("eventRecord", BindingFlags.Instance | BindingFlags.NonPublic);
            if (field is null || !field.FieldType.IsPointer)
            {
                return null;
            }

            var method = new DynamicMethod("LeakGuardEventRecord", typeof(IntPtr), [typeof(TraceEvent)], typeof(EventStack).Module, skipVisibility: true);
            var il = method.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, field);
            il.Emit(OpCodes.Ret);
            return method.CreateDelegate<Func<TraceEvent, IntPtr>>();
        }
#pragma warning disable CA1031 // A TraceEvent without the field, or a runtime without dynamic code: recordings say so (Available).
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ExtendedDataItem
    {
        public ushort Reserved1;
        public ushort ExtType;
        public ushort Reserved2;
        public ushort DataSize;
        public ulong DataPtr;
    }
}
