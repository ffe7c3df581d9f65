using System.Reflection;

namespace LeakGuard.Investigation;

/// <summary>
/// Names the declaring type of a static-field root. The runtime's heap dump gives a static root only the field's
/// name (<c>GCBulkRootStaticVar</c>), which is ambiguous ("Cache", "Instance"); the snapshot is of this process, so
/// the loaded types are searched for static fields of that name, and the one whose type matches the referenced
/// object wins (<c>static field Cache</c> becomes <c>static field MyApp.SessionStore.Cache</c>). Results are cached.
/// </summary>
internal sealed class StaticFieldResolver
{
    private const string Prefix = "static field ";
    private const BindingFlags StaticFields = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
    private readonly Dictionary<string, string?> _cache = new(StringComparer.Ordinal);

    /// <summary>Qualifies the static-field roots of the given paths; other paths are returned unchanged.</summary>
    /// <param name="paths">The paths.</param>
    /// <returns>The paths with qualified roots where the field could be identified.</returns>
    public IReadOnlyList<RetentionPath> Qualify(IReadOnlyList<RetentionPath> paths)
    {
        var result = new RetentionPath[paths.Count];
        for (var i = 0; i < paths.Count; i++)
        {
            var path = paths[i];
            var qualified = path.Path.Count > 0 ? QualifyRoot(path.Root, path.Path[0]) : null;
            result[i] = qualified is null ? path : new RetentionPath { Root = qualified, Share = path.Share, Path = path.Path };
        }

        return result;
    }

    /// <summary>Qualifies one root description.</summary>
    /// <param name="root">The root as described by <see cref="GraphRoot.Describe()"/>.</param>
    /// <param name="objectType">The readable type name of the object the root references.</param>
    /// <returns>The qualified description, or <see langword="null"/> when it is not a static field or cannot be identified.</returns>
    public string? QualifyRoot(string root, string objectType)
    {
        if (!root.StartsWith(Prefix, StringComparison.Ordinal) || root.Length == Prefix.Length)
        {
            return null;
        }

        var field = root[Prefix.Length..];
        var key = field + "\u0001" + objectType;
        if (!_cache.TryGetValue(key, out var qualified))
        {
            qualified = Find(field, objectType);
            _cache[key] = qualified;
        }

        return qualified is null ? null : Prefix + qualified;
    }

    /// <summary>Shows an auto-property's backing field (<c>&lt;Cache&gt;k__BackingField</c>) as the property's name.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>The name to show.</returns>
    internal static string DisplayName(string field)
    {
        const string BackingSuffix = ">k__BackingField";
        return field.StartsWith('<') && field.EndsWith(BackingSuffix, StringComparison.Ordinal)
            ? field[1..^BackingSuffix.Length]
            : field;
    }

    private static string? Find(string field, string objectType)
    {
        string? only = null;
        var candidates = 0;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic)
            {
                continue;
            }

            foreach (var type in LoadableTypes(assembly))
            {
                if (type is null || type.ContainsGenericParameters)
                {
                    continue;
                }

                FieldInfo? info;
                try
                {
                    info = type.GetField(field, StaticFields);
                }
                catch (AmbiguousMatchException)
                {
                    continue;
                }

                if (info is null || !info.IsStatic)
                {
                    continue;
                }

                var name = Describe(type) + "." + DisplayName(field);
                if (Matches(info.FieldType, objectType))
                {
                    return name;
                }

                candidates++;
                only = name;
            }
        }

        // No field's declared type matches by name (an interface or base type): a unique field of that name is still the one.
        return candidates == 1 ? only : null;
    }

    private static bool Matches(Type fieldType, string objectType)
    {
        var name = fieldType.FullName;
        return name is not null && string.Equals(TypeNameFormatter.Format(name), objectType, StringComparison.Ordinal);
    }

    private static string Describe(Type type) => TypeNameFormatter.Format(type.FullName ?? type.Name);

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
