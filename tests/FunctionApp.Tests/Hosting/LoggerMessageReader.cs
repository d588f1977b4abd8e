using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace DurablePipelines.FunctionApp.Tests.Hosting;

/// <summary>One <c>[LoggerMessage]</c> method: its assembly, its name and its event id (0 when it gives none).</summary>
internal sealed record LogMethod(string Assembly, string Name, int EventId);

/// <summary>
/// Reads the <c>[LoggerMessage]</c> attributes of an assembly file from its metadata, without loading it: the product
/// assemblies have dependencies (the Functions worker, Kestrel) that no one test process has all of.
/// </summary>
internal static class LoggerMessageReader
{
    private const string AttributeName = "Microsoft.Extensions.Logging.LoggerMessageAttribute";

    public static IReadOnlyList<LogMethod> Read(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var metadata = pe.GetMetadataReader();
        var assembly = metadata.GetString(metadata.GetAssemblyDefinition().Name);
        var methods = new List<LogMethod>();
        foreach (var handle in metadata.MethodDefinitions)
        {
            var method = metadata.GetMethodDefinition(handle);
            foreach (var attributeHandle in method.GetCustomAttributes())
            {
                var attribute = metadata.GetCustomAttribute(attributeHandle);
                if (AttributeTypeName(metadata, attribute) != AttributeName)
                {
                    continue;
                }

                var type = metadata.GetTypeDefinition(method.GetDeclaringType());
                var name = $"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}.{metadata.GetString(method.Name)}";
                methods.Add(new LogMethod(assembly, name, EventId(attribute.DecodeValue(new TypeNames()))));
            }
        }

        return methods;
    }

    /// <summary>The id of <c>[LoggerMessage(EventId = n, ...)]</c> or of <c>[LoggerMessage(n, level, message)]</c>.</summary>
    private static int EventId(CustomAttributeValue<string> value)
    {
        foreach (var named in value.NamedArguments)
        {
            if (named.Name == "EventId")
            {
                return (int)named.Value!;
            }
        }

        return value.FixedArguments is [{ Value: int id }, _, _] ? id : 0;
    }

    private static string? AttributeTypeName(MetadataReader metadata, CustomAttribute attribute)
    {
        if (attribute.Constructor.Kind != HandleKind.MemberReference)
        {
            return null;
        }

        var constructor = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
        if (constructor.Parent.Kind != HandleKind.TypeReference)
        {
            return null;
        }

        var type = metadata.GetTypeReference((TypeReferenceHandle)constructor.Parent);
        return $"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}";
    }

    /// <summary>Names types as strings; the attribute's only enum, <c>LogLevel</c>, is an int.</summary>
    private sealed class TypeNames : ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSystemType() => "System.Type";

        public string GetSZArrayType(string elementType) => $"{elementType}[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var type = reader.GetTypeDefinition(handle);
            return $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}";
        }

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var type = reader.GetTypeReference(handle);
            return $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}";
        }

        public string GetTypeFromSerializedName(string name) => name.Split(',')[0];

        public PrimitiveTypeCode GetUnderlyingEnumType(string type) =>
            type == "Microsoft.Extensions.Logging.LogLevel" ? PrimitiveTypeCode.Int32 : throw new InvalidOperationException($"unexpected enum {type} in [LoggerMessage]");

        public bool IsSystemType(string type) => type == "System.Type";
    }
}
