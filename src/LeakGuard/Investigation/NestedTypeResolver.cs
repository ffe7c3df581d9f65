using System.Reflection;

namespace LeakGuard.Investigation;

/// <summary>
/// Completes the names of nested types, which the runtime's heap dump reports without their declaring type
/// (<c>&lt;&gt;c__DisplayClass3_0</c>, not <c>Program+&lt;&gt;c__DisplayClass3_0</c>). The snapshot is of this process,
/// so the loaded types are at hand: a type whose handle equals the dump's type id is the one. Results are cached
/// (type ids of non-collectible types never change).
/// </summary>
internal sealed class NestedTypeResolver
{
    private readonly Dictionary<ulong, string?> _cache = [];

    /// <summary>Gets a value indicating whether a raw name looks like a nested type's bare name.</summary>
    /// <param name="rawName">The name as the runtime reported it.</param>
    /// <returns><see langword="true"/> when the name has no namespace or declaring type.</returns>
    public static bool LooksNested(string rawName)
    {
        var end = rawName.AsSpan().IndexOfAny('`', '[');
        var head = end < 0 ? rawName.AsSpan() : rawName.AsSpan(0, end);
        return head.Length > 0 && !head.Contains('.') && !head.Contains('+');
    }

    /// <summary>Resolves the readable names of the given types, where the loaded types allow it.</summary>
    /// <param name="typeIds">The dump's type ids.</param>
    /// <param name="rawNames">The raw names, same order.</param>
    /// <returns>Readable names by position; <see langword="null"/> where the type could not be resolved.</returns>
    public string?[] Resolve(IReadOnlyList<ulong> typeIds, IReadOnlyList<string> rawNames)
    {
        var result = new string?[typeIds.Count];
        var wanted = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < typeIds.Count; i++)
        {
            if (!LooksNested(rawNames[i]) || rawNames[i].Contains('[', StringComparison.Ordinal))
            {
                continue;
            }

            if (_cache.TryGetValue(typeIds[i], out var cached))
            {
                result[i] = cached;
                continue;
            }

            if (!wanted.TryGetValue(rawNames[i], out var positions))
            {
                wanted[rawNames[i]] = positions = [];
            }

            positions.Add(i);
        }

        if (wanted.Count == 0)
        {
            return result;
        }

        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic)
            {
                continue;
            }

            foreach (var type in LoadableTypes(assembly))
            {
                if (type is null || !type.IsNested || type.IsGenericTypeDefinition || !wanted.TryGetValue(type.Name, out var positions))
                {
                    continue;
                }

                var handle = unchecked((ulong)type.TypeHandle.Value.ToInt64());
                foreach (var i in positions)
                {
                    if (typeIds[i] == handle)
                    {
                        result[i] = Describe(type);
                    }
                }
            }
        }

        foreach (var positions in wanted.Values)
        {
            foreach (var i in positions)
            {
                _cache[typeIds[i]] = result[i];
            }
        }

        return result;
    }

    private static string Describe(Type type)
    {
        var declaring = type.DeclaringType!;
        var declaringName = TypeNameFormatter.Format((declaring.FullName ?? declaring.Name).Split('[')[0]);
        var method = type.Name.StartsWith("<>c__DisplayClass", StringComparison.Ordinal) ? CreatingMethod(type) : null;
        return CompilerGeneratedName.Describe(type.Name, declaringName, method)
            ?? declaringName + "." + type.Name;
    }

    private static string? CreatingMethod(Type type)
    {
        // Lambdas compiled into a closure or lambda cache are named <Method>b__N: the creating method's name.
        foreach (var method in type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
        {
            var name = method.Name;
            var close = name.IndexOf('>', StringComparison.Ordinal);
            if (name.StartsWith('<') && close > 1)
            {
                return name[1..close];
            }
        }

        return null;
    }

    private static Type?[] LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types;
        }
    }
}
