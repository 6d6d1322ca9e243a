using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using PaperGao.Core.Data;
using PaperGao.GraphQL.Execution;

namespace PaperGao.GraphQL.Schema;

/// <summary>The types every generated schema shares: scalars, GeoPoint, File, the subscription event action.</summary>
internal sealed class SharedTypes
{
    public JsonScalar Json { get; } = new();
    public DateTimeScalar DateTime { get; } = new();
    public ObjectGraphType GeoPoint { get; }
    public InputObjectGraphType GeoPointInput { get; }
    public ObjectGraphType File { get; }

    public SharedTypes()
    {
        GeoPoint = new ObjectGraphType { Name = "GeoPoint", Description = "A geoPoint field's value." };
        GeoPoint.AddField(new FieldType { Name = "lon", ResolvedType = new NonNullGraphType(new FloatGraphType()), Resolver = new FuncFieldResolver<object?>(c => ((GeoPoint)c.Source!).Lon) });
        GeoPoint.AddField(new FieldType { Name = "lat", ResolvedType = new NonNullGraphType(new FloatGraphType()), Resolver = new FuncFieldResolver<object?>(c => ((GeoPoint)c.Source!).Lat) });

        GeoPointInput = new InputObjectGraphType { Name = "GeoPointInput" };
        GeoPointInput.AddField(new FieldType { Name = "lon", ResolvedType = new NonNullGraphType(new FloatGraphType()) });
        GeoPointInput.AddField(new FieldType { Name = "lat", ResolvedType = new NonNullGraphType(new FloatGraphType()) });

        File = new ObjectGraphType { Name = "File", Description = "A stored file of a file field. Uploads go through the REST API." };
        File.AddField(new FieldType { Name = "name", ResolvedType = new NonNullGraphType(new StringGraphType()), Resolver = new FuncFieldResolver<object?>(c => ((FileRef)c.Source!).Name) });
        File.AddField(new FieldType
        {
            Name = "url",
            Description = "The download path (relative to the server), with a file token when the field is protected; thumb as on REST (e.g. \"100x100\").",
            ResolvedType = new NonNullGraphType(new StringGraphType()),
            Arguments = new QueryArguments(new QueryArgument<StringGraphType> { Name = "thumb" }),
            Resolver = new FuncFieldResolver<object?>(c => FileUrl((FileRef)c.Source!, c.GetArgument<string?>("thumb"), (GraphQLRequestContext)c.UserContext)),
        });
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
