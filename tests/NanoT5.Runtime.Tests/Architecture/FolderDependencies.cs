// Which folder's types use which other folder's types, read from a compiled assembly's metadata: base types,
// interfaces, generic constraints, attributes, field/property/event/method signatures, locals, and every type,
// method and field token in the method bodies (so a dependency hidden in a lambda, a state machine or a
// generic argument counts). A folder is the namespace segment after the root (NanoT5.Data.Pipeline -> Data);
// nested and compiler-generated types belong to their outermost type's folder. Constants are inlined by the
// compiler and leave no trace in metadata, so the sources' using directives and qualified names are read too.
using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using NanoT5.Testing;

namespace NanoT5.Tests.Architecture;

/// <summary>A type of one folder that uses a type of another.</summary>
internal sealed record FolderDependency(string FromFolder, string FromType, string ToFolder, string ToType);

internal static partial class FolderDependencies
{
    /// <summary>Every cross-folder use among the types of <paramref name="assemblyPath"/> under <paramref name="rootNamespace"/>.</summary>
    public static IReadOnlyList<FolderDependency> Read(string assemblyPath, string rootNamespace)
    {
        using FileStream stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader md = pe.GetMetadataReader();
        var reader = new TypeUses(md, pe);
        var found = new HashSet<FolderDependency>();
        foreach (TypeDefinitionHandle type in md.TypeDefinitions)
        {
            if (Owner(md, type, rootNamespace) is not (string fromFolder, string fromType))
            {
                continue;
            }

            foreach (TypeDefinitionHandle used in reader.Uses(type))
            {
                if (Owner(md, used, rootNamespace) is (string toFolder, string toType) && toFolder != fromFolder)
                {
                    found.Add(new FolderDependency(fromFolder, fromType, toFolder, toType));
                }
            }
        }

        return [.. found.OrderBy(d => d.FromType, StringComparer.Ordinal).ThenBy(d => d.ToType, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The folders one source file of <paramref name="fromFolder"/> names outside comments: <c>Root.X</c> (in a using
    /// directive, an alias or code) where X is a folder, and <c>X.Y</c> as C# resolves it from inside the root namespace,
    /// where Y is a type or sub-namespace of folder X (<paramref name="folders"/> maps each folder to those names).
    /// </summary>
    public static IReadOnlyList<FolderDependency> ReadSource(string fromFolder, string file, string text, string rootNamespace, IReadOnlyDictionary<string, HashSet<string>> folders)
    {
        string code = CommentsAndStrings().Replace(text, m => m.Value.StartsWith('/') ? "" : "\"\"");
        var qualified = new Regex($@"\b{Regex.Escape(rootNamespace)}\.([A-Za-z0-9_]+)\b").Matches(code)
            .Select(m => m.Groups[1].Value)
            .Where(folders.ContainsKey);
        var relative = RelativeName().Matches(code)
            .Where(m => folders.TryGetValue(m.Groups[1].Value, out HashSet<string>? names) && names.Contains(m.Groups[2].Value))
            .Select(m => m.Groups[1].Value);
        return [.. qualified.Concat(relative).Where(f => f != fromFolder).Distinct().Order(StringComparer.Ordinal)
            .Select(f => new FolderDependency(fromFolder, file, f, $"{rootNamespace}.{f}"))];
    }

    /// <summary><see cref="ReadSource"/> over every C# file of each folder directly under <paramref name="sourceRoot"/>.</summary>
    public static IReadOnlyList<FolderDependency> ReadSources(string sourceRoot, IReadOnlyDictionary<string, HashSet<string>> folders, string rootNamespace) =>
        [.. folders.Keys.Where(f => Directory.Exists(Path.Combine(sourceRoot, f)))
            .SelectMany(f => Directory.GetFiles(Path.Combine(sourceRoot, f), "*.cs", SearchOption.AllDirectories)
                .SelectMany(file => ReadSource(f, Path.GetRelativePath(sourceRoot, file), File.ReadAllText(file), rootNamespace, folders)))];

    /// <summary>Folder -> the names directly inside it (types and sub-namespaces) of the types under <paramref name="rootNamespace"/>.</summary>
    public static IReadOnlyDictionary<string, HashSet<string>> Members(IEnumerable<Type> types, string rootNamespace)
    {
        var members = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (Type type in types.Where(t => !t.IsNested && t.Namespace?.StartsWith(rootNamespace + ".", StringComparison.Ordinal) == true))
        {
            string[] path = [.. type.Namespace![(rootNamespace.Length + 1)..].Split('.'), type.Name.Split('`')[0]];
            if (!members.TryGetValue(path[0], out HashSet<string>? names))
            {
                members[path[0]] = names = new HashSet<string>(StringComparer.Ordinal);
            }

            names.Add(path[1]);
        }

        return members;
    }

    /// <summary>One line per use of a folder that <paramref name="order"/> places above (after) the user's, or does not place at all.</summary>
    public static IReadOnlyList<string> Violations(IEnumerable<FolderDependency> dependencies, IReadOnlyList<string> order)
    {
        var rank = order.Select((folder, i) => (folder, i)).ToDictionary(p => p.folder, p => p.i, StringComparer.Ordinal);
        var lines = new List<string>();
        foreach (FolderDependency d in dependencies)
        {
            if (!rank.TryGetValue(d.FromFolder, out int from) || !rank.TryGetValue(d.ToFolder, out int to))
            {
                string missing = rank.ContainsKey(d.FromFolder) ? d.ToFolder : d.FromFolder;
                lines.Add($"{d.FromType} ({d.FromFolder}) uses {d.ToType} ({d.ToFolder}), but folder {missing} has no place in the layer order");
            }
            else if (to > from)
            {
                lines.Add($"{d.FromType} ({d.FromFolder}) uses {d.ToType} ({d.ToFolder}), a folder above it");
            }
        }

        return lines;
    }

    // String literals, line and block comments (a cref, a "ports NanoT5.X" remark or a description that names a
    // type is not a use). Strings come first in the alternation so "http://" is not taken for a comment.
    [GeneratedRegex(@"@""(?:[^""]|"""")*""|""(?:[^""\\\n]|\\.)*""|//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex CommentsAndStrings();

    // Folder.Name not preceded by a member access (config.Model.Preset is a property, not a namespace).
    [GeneratedRegex(@"(?<![\w.])([A-Z][A-Za-z0-9_]*)\.([A-Z][A-Za-z0-9_]*)")]
    private static partial Regex RelativeName();

    // (folder, full name of the outermost type) of a type under the root namespace; null for anything else.
    private static (string Folder, string Type)? Owner(MetadataReader md, TypeDefinitionHandle handle, string root)
    {
        TypeDefinition type = md.GetTypeDefinition(handle);
        while (!type.GetDeclaringType().IsNil)
        {
            type = md.GetTypeDefinition(type.GetDeclaringType());
        }

        string ns = md.GetString(type.Namespace);
        if (!ns.StartsWith(root + ".", StringComparison.Ordinal))
        {
            return null;
        }

        string folder = ns[(root.Length + 1)..].Split('.')[0];
        return (folder, $"{ns}.{md.GetString(type.Name)}");
    }

    private sealed class TypeUses(MetadataReader md, PEReader pe) : ISignatureTypeProvider<ImmutableArray<TypeDefinitionHandle>, object?>
    {
        private static readonly ImmutableArray<TypeDefinitionHandle> None = [];

        public IEnumerable<TypeDefinitionHandle> Uses(TypeDefinitionHandle handle)
        {
            TypeDefinition type = md.GetTypeDefinition(handle);
            var uses = new List<TypeDefinitionHandle>();
            uses.AddRange(Entity(type.BaseType));
            uses.AddRange(type.GetInterfaceImplementations().SelectMany(i => Entity(md.GetInterfaceImplementation(i).Interface)));
            uses.AddRange(Generics(type.GetGenericParameters()));
            uses.AddRange(Attributes(type.GetCustomAttributes()));
            foreach (FieldDefinitionHandle f in type.GetFields())
            {
                FieldDefinition field = md.GetFieldDefinition(f);
                uses.AddRange(field.DecodeSignature(this, null));
                uses.AddRange(Attributes(field.GetCustomAttributes()));
            }

            foreach (PropertyDefinitionHandle p in type.GetProperties())
            {
                PropertyDefinition property = md.GetPropertyDefinition(p);
                uses.AddRange(Signature(property.DecodeSignature(this, null)));
                uses.AddRange(Attributes(property.GetCustomAttributes()));
            }

            foreach (EventDefinitionHandle e in type.GetEvents())
            {
                uses.AddRange(Entity(md.GetEventDefinition(e).Type));
            }

            foreach (MethodDefinitionHandle m in type.GetMethods())
            {
                uses.AddRange(Method(md.GetMethodDefinition(m)));
            }

            return uses;
        }

        private IEnumerable<TypeDefinitionHandle> Method(MethodDefinition method)
        {
            IEnumerable<TypeDefinitionHandle> uses = Signature(method.DecodeSignature(this, null))
                .Concat(Generics(method.GetGenericParameters()))
                .Concat(Attributes(method.GetCustomAttributes()))
                .Concat(method.GetParameters().SelectMany(p => Attributes(md.GetParameter(p).GetCustomAttributes())));
            if (method.RelativeVirtualAddress == 0)
            {
                return uses;
            }

            MethodBodyBlock body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
            {
                uses = uses.Concat(md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null).SelectMany(l => l));
            }

            return uses.Concat(BodyTokens(body.GetILBytes()!).SelectMany(Entity));
        }

        private static IEnumerable<EntityHandle> BodyTokens(byte[] il) =>
            IlInstructions.Read(il)
                .Where(i => i.Op.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
                .Select(i => MetadataTokens.EntityHandle(BitConverter.ToInt32(il, i.Operand)));

        private IEnumerable<TypeDefinitionHandle> Entity(EntityHandle handle) => handle.IsNil ? None : handle.Kind switch
        {
            HandleKind.TypeDefinition => [(TypeDefinitionHandle)handle],
            HandleKind.TypeSpecification => md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null),
            HandleKind.MethodDefinition => [md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()],
            HandleKind.FieldDefinition => [md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType()],
            HandleKind.MemberReference => Entity(md.GetMemberReference((MemberReferenceHandle)handle).Parent),
            HandleKind.MethodSpecification => MethodSpecification((MethodSpecificationHandle)handle),
            _ => None, // types and members of other assemblies
        };

        private IEnumerable<TypeDefinitionHandle> MethodSpecification(MethodSpecificationHandle handle)
        {
            MethodSpecification spec = md.GetMethodSpecification(handle);
            return Entity(spec.Method).Concat(spec.DecodeSignature(this, null).SelectMany(a => a));
        }

        private IEnumerable<TypeDefinitionHandle> Attributes(CustomAttributeHandleCollection attributes) =>
            attributes.SelectMany(a => Entity(md.GetCustomAttribute(a).Constructor));

        private IEnumerable<TypeDefinitionHandle> Generics(GenericParameterHandleCollection parameters) =>
            parameters.SelectMany(p => md.GetGenericParameter(p).GetConstraints())
                .SelectMany(c => Entity(md.GetGenericParameterConstraint(c).Type));

        private static IEnumerable<TypeDefinitionHandle> Signature(MethodSignature<ImmutableArray<TypeDefinitionHandle>> signature) =>
            signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(p => p));

        public ImmutableArray<TypeDefinitionHandle> GetPrimitiveType(PrimitiveTypeCode typeCode) => None;

        public ImmutableArray<TypeDefinitionHandle> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [handle];

        public ImmutableArray<TypeDefinitionHandle> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => None;

        public ImmutableArray<TypeDefinitionHandle> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public ImmutableArray<TypeDefinitionHandle> GetSZArrayType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;

        public ImmutableArray<TypeDefinitionHandle> GetArrayType(ImmutableArray<TypeDefinitionHandle> elementType, ArrayShape shape) => elementType;

        public ImmutableArray<TypeDefinitionHandle> GetByReferenceType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;

        public ImmutableArray<TypeDefinitionHandle> GetPointerType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;

        public ImmutableArray<TypeDefinitionHandle> GetPinnedType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;

        public ImmutableArray<TypeDefinitionHandle> GetModifiedType(ImmutableArray<TypeDefinitionHandle> modifier, ImmutableArray<TypeDefinitionHandle> unmodifiedType, bool isRequired) => unmodifiedType;

        public ImmutableArray<TypeDefinitionHandle> GetGenericInstantiation(ImmutableArray<TypeDefinitionHandle> genericType, ImmutableArray<ImmutableArray<TypeDefinitionHandle>> typeArguments) =>
            genericType.AddRange(typeArguments.SelectMany(a => a));

        public ImmutableArray<TypeDefinitionHandle> GetGenericMethodParameter(object? genericContext, int index) => None;

        public ImmutableArray<TypeDefinitionHandle> GetGenericTypeParameter(object? genericContext, int index) => None;

        public ImmutableArray<TypeDefinitionHandle> GetFunctionPointerType(MethodSignature<ImmutableArray<TypeDefinitionHandle>> signature) => [.. Signature(signature)];
    }
}
