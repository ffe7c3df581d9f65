using System.Reflection;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace LeakGuard.Investigation;

/// <summary>
/// The static fields declared by LeakGuard and its diagnostics libraries, keyed by field name and the readable name
/// of the field's type. The heap dump names a static root by its field only (<c>ProviderGuid</c>), without the
/// declaring type: measured, TraceEvent's parsers' boxed <c>static Guid ProviderGuid</c> fields showed up as
/// <c>Guid +190 via static field ProviderGuid</c> in the first report of a process. A root whose field name and
/// object type match one of these is LeakGuard's own. Listed once, before the first snapshot.
/// </summary>
internal static class OwnStaticFields
{
    private const BindingFlags Statics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
    private static readonly Lazy<HashSet<string>> Fields = new(Collect);

    /// <summary>Gets the own static fields' keys (listing them on first use).</summary>
    public static IReadOnlySet<string> All => Fields.Value;

    /// <summary>Builds the key of a static field.</summary>
    /// <param name="field">The field's name as the runtime reports it.</param>
    /// <param name="objectType">The readable name of the referenced object's type.</param>
    /// <returns>The key.</returns>
    public static string Key(string field, string objectType) => field + "\u0001" + objectType;

    private static HashSet<string> Collect()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assembly in OwnAssemblies())
        {
            Type?[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException ex)
            {
                types = ex.Types;
            }

            foreach (var type in types)
            {
                if (type is null || type.ContainsGenericParameters)
                {
                    continue;
                }

                foreach (var field in type.GetFields(Statics))
                {
                    if (!field.IsLiteral)
                    {
                        keys.Add(Key(field.Name, TypeNameFormatter.Format(RuntimeTypeNames.RawName(field.FieldType))));
                    }
                }
            }
        }

        return keys;
    }

    private static HashSet<Assembly> OwnAssemblies()
    {
        var own = new HashSet<Assembly>
        {
            typeof(OwnStaticFields).Assembly,
            typeof(TraceEvent).Assembly,
            typeof(DiagnosticsClient).Assembly,
        };
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!assembly.IsDynamic && assembly.GetName().Name is "LeakGuard.AspNetCore" or "LeakGuard.Testing")
            {
                own.Add(assembly);
            }
        }

        return own;
    }
}
