using System.Runtime.Loader;
using System.Text;

namespace LeakGuard.Investigation;

/// <summary>
/// Names a type from its runtime identifier (the method-table address the heap dump reports) when the
/// dump's <c>TypeBulkType</c> events did not name it. Measured: with LeakGuard's own in-process GC
/// <see cref="System.Diagnostics.Tracing.EventListener"/> running, the runtime sends type names for only a
/// few types to the snapshot session, which left reports full of <c>Type#949</c> and broke the diff's
/// type keys. The snapshot runs inside the process it describes, so the type can be asked for directly.
/// </summary>
internal static class RuntimeTypeNames
{
    /// <summary>Names a type in the runtime's raw style (<c>Ns.Outer+Inner`1[Ns.Arg]</c>, <c>Ns.T[]</c>).</summary>
    /// <param name="typeId">The type's method-table address, taken from a live object in the dump.</param>
    /// <returns>The raw name, or <see langword="null"/> when it cannot be resolved safely.</returns>
    public static string? TryResolve(ulong typeId)
    {
        // A method table is pointer-aligned; anything else is not one.
        if (typeId == 0 || (typeId & 7) != 0 || AnyCollectibleContext())
        {
            return null;
        }

        try
        {
            var type = Type.GetTypeFromHandle(RuntimeTypeHandle.FromIntPtr(unchecked((nint)typeId)));
            return type is null ? null : RawName(type);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Renders a type in the runtime's raw naming style, which <see cref="TypeNameFormatter"/> reads.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The raw name.</returns>
    public static string RawName(Type type)
    {
        var builder = new StringBuilder();
        Append(type, builder);
        return builder.ToString();
    }

    private static void Append(Type type, StringBuilder builder)
    {
        if (type.IsArray)
        {
            Append(type.GetElementType()!, builder);
            builder.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
            return;
        }

        if (type.IsPointer || type.IsByRef)
        {
            Append(type.GetElementType()!, builder);
            builder.Append(type.IsPointer ? '*' : '&');
            return;
        }

        var definition = type.IsConstructedGenericType ? type.GetGenericTypeDefinition() : type;
        AppendDefinition(definition, builder);
        if (type.IsConstructedGenericType)
        {
            builder.Append('[');
            var arguments = type.GetGenericArguments();
            for (var i = 0; i < arguments.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                Append(arguments[i], builder);
            }

            builder.Append(']');
        }
    }

    private static void AppendDefinition(Type definition, StringBuilder builder)
    {
        if (definition.IsNested && definition.DeclaringType is { } declaring)
        {
            AppendDefinition(declaring.IsGenericType ? declaring.GetGenericTypeDefinition() : declaring, builder);
            builder.Append('+').Append(definition.Name);
            return;
        }

        if (!string.IsNullOrEmpty(definition.Namespace))
        {
            builder.Append(definition.Namespace).Append('.');
        }

        builder.Append(definition.Name);
    }

    // A collectible type can be unloaded once its last object died after the dump; then its method table
    // is gone and must not be touched. Such processes keep the dump's own names only.
    private static bool AnyCollectibleContext()
    {
        foreach (var context in AssemblyLoadContext.All)
        {
            if (context.IsCollectible)
            {
                return true;
            }
        }

        return false;
    }
}
