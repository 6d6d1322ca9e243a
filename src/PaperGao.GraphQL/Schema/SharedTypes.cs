using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using PaperGao.Core.Data;
using PaperGao.GraphQL.Execution;

namespace PaperGao.GraphQL.Schema;

/// <summary>
/// The scalar types and their wrappers, one instance each for every generated schema. GraphQL.NET allows a scalar
/// instance in several schemas (initializing a scalar is a no-op; its own built-in scalars are static too), and a graph
/// type's constructor reads attributes by reflection, so sharing them saves most of the type constructions of a build.
/// Wrappers of scalars are shared too: no type reference is ever resolved inside them.
/// </summary>
internal static class Scalars
{
    public static readonly StringGraphType String = new();
    public static readonly IdGraphType Id = new();
    public static readonly IntGraphType Int = new();
    public static readonly FloatGraphType Float = new();
    public static readonly BooleanGraphType Boolean = new();
    public static readonly JsonScalar Json = new();
    public static readonly DateTimeScalar DateTime = new();

    public static readonly NonNullGraphType NonNullString = new(String);
    public static readonly NonNullGraphType NonNullId = new(Id);
    public static readonly NonNullGraphType NonNullInt = new(Int);
    public static readonly NonNullGraphType NonNullFloat = new(Float);
    public static readonly NonNullGraphType NonNullBoolean = new(Boolean);
    public static readonly ListGraphType StringList = new(new NonNullGraphType(String));
    public static readonly ListGraphType IdList = new(new NonNullGraphType(Id));
    public static readonly NonNullGraphType NonNullStringList = new(new ListGraphType(new NonNullGraphType(String)));
}

/// <summary>
/// The object types every generated schema may need (GeoPoint, GeoPointInput, File), made on first use: an object type
/// belongs to one schema, and a schema without geoPoint or file fields does not build them.
/// </summary>
internal sealed class SharedTypes
{
    private ObjectGraphType? _geoPoint;
    private InputObjectGraphType? _geoPointInput;
    private ObjectGraphType? _file;

    public ObjectGraphType GeoPoint => _geoPoint ??= NewGeoPoint();
    public InputObjectGraphType GeoPointInput => _geoPointInput ??= NewGeoPointInput();
    public ObjectGraphType File => _file ??= NewFile();

    private static readonly IFieldResolver Lon = new FuncFieldResolver<object?>(c => ((GeoPoint)c.Source!).Lon);
    private static readonly IFieldResolver Lat = new FuncFieldResolver<object?>(c => ((GeoPoint)c.Source!).Lat);
    private static readonly IFieldResolver FileName = new PlainFieldResolver<FileRef>(f => f.Name);
    private static readonly IFieldResolver Url = new FuncFieldResolver<object?>(c => FileUrl((FileRef)c.Source!, c.GetArgument<string?>("thumb"), (GraphQLRequestContext)c.UserContext));

    private static ObjectGraphType NewGeoPoint()
    {
        var t = new ObjectGraphType { Name = "GeoPoint", Description = "A geoPoint field's value." };
        t.AddField(new FieldType { Name = "lon", ResolvedType = Scalars.NonNullFloat, Resolver = Lon });
        t.AddField(new FieldType { Name = "lat", ResolvedType = Scalars.NonNullFloat, Resolver = Lat });
        return t;
    }

    private static InputObjectGraphType NewGeoPointInput()
    {
        var t = new InputObjectGraphType { Name = "GeoPointInput" };
        t.AddField(new FieldType { Name = "lon", ResolvedType = Scalars.NonNullFloat });
        t.AddField(new FieldType { Name = "lat", ResolvedType = Scalars.NonNullFloat });
        return t;
    }

    private static ObjectGraphType NewFile()
    {
        var t = new ObjectGraphType { Name = "File", Description = "A stored file of a file field. Uploads go through the REST API." };
        t.AddField(new FieldType { Name = "name", ResolvedType = Scalars.NonNullString, Resolver = FileName });
        t.AddField(new FieldType
        {
            Name = "url",
            Description = "The download path (relative to the server), with a file token when the field is protected; thumb as on REST (e.g. \"100x100\").",
            ResolvedType = Scalars.NonNullString,
            Arguments = new QueryArguments(new QueryArgument(Scalars.String) { Name = "thumb" }),
            Resolver = Url,
        });
        return t;
    }

    private static string FileUrl(FileRef f, string? thumb, GraphQLRequestContext rc)
    {
        var url = $"{rc.PathBase}/api/files/{Uri.EscapeDataString(f.Collection.Id)}/{Uri.EscapeDataString(f.RecordId)}/{Uri.EscapeDataString(f.Name)}";
        var query = new List<string>();
        if (!string.IsNullOrEmpty(thumb)) query.Add("thumb=" + Uri.EscapeDataString(thumb));
        if (f.Field.Protected && rc.FileToken is { } token) query.Add("token=" + Uri.EscapeDataString(token));
        return query.Count == 0 ? url : url + "?" + string.Join('&', query);
    }
}
