using System.Globalization;
using System.Text;
using LeakGuard.Formatting;

namespace LeakGuard.Investigation;

/// <summary>Renders a report's <see cref="NativeEvidence"/> as lines of the text report (the CLI's <c>leakguard report</c>).</summary>
internal static class NativeReportText
{
    /// <summary>Appends the native section.</summary>
    /// <param name="text">The report text so far.</param>
    /// <param name="native">The evidence.</param>
    public static void Append(StringBuilder text, NativeEvidence native)
    {
        var culture = CultureInfo.InvariantCulture;
        text.Append(culture, $"  native: {native.Finding}").AppendLine();
        if (native.Missing is not null)
        {
            return;
        }

        text.Append(culture, $"  native readings {Readable.Duration(native.SecondsApart)} apart, {native.ReadMilliseconds:0.#} ms to read").AppendLine();
        if (native.Malloc is { } malloc)
        {
            text.Append(culture, $"    malloc in use {Readable.Bytes(malloc.InUseBytesBefore)} → {Readable.Bytes(malloc.InUseBytesAfter)} ({NativeDiff.Signed(malloc.InUseBytesAfter - malloc.InUseBytesBefore)})")
                .Append(culture, $", free {Readable.Bytes(malloc.FreeBytesBefore)} → {Readable.Bytes(malloc.FreeBytesAfter)} ({NativeDiff.Signed(malloc.FreeBytesAfter - malloc.FreeBytesBefore)})")
                .AppendLine();
        }
        else if (native.MallocMissing is { } mallocMissing)
        {
            text.Append("    no malloc statistics: ").AppendLine(mallocMissing);
        }

        if (native.MappingsMissing is { } mappingsMissing)
        {
            text.Append("    no mapping classes: ").AppendLine(mappingsMissing);
        }

        foreach (var row in native.Mappings.Where(r => r.RssBytesAfter > 0 || r.RssBytesBefore > 0))
        {
            text.Append(culture, $"    {row.Class,-15} {Readable.Bytes(row.RssBytesAfter),10} resident ({NativeDiff.Signed(NativeDiff.Growth(row))}), {row.MappingsAfter} mappings ({row.MappingsAfter - row.MappingsBefore:+0;-0;+0})")
                .AppendLine();
        }

        if (native.Threads is { } threads)
        {
            text.Append(culture, $"    threads {threads.Before} → {threads.After}: {threads.Started} started, {threads.Ended} ended");
            if (threads.StartedByName.Count > 0)
            {
                text.Append(" (").AppendJoin(", ", threads.StartedByName.Select(g => string.Create(culture, $"{g.Count} '{g.Name}'"))).Append(')');
            }

            text.AppendLine();
        }

        if (native.SafeHandles is { Count: > 0 } handles)
        {
            text.Append("    safe handles ")
                .AppendJoin(", ", handles.Select(h => string.Create(culture, $"{h.Type} {h.CountBefore} → {h.CountAfter}")))
                .AppendLine();
        }
    }
}
