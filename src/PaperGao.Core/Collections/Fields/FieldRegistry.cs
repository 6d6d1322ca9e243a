namespace PaperGao.Core.Collections.Fields;

/// <summary>Maps field type names to field classes.</summary>
public static class FieldRegistry
{
    /// <summary>The type names, in the order PocketBase's dashboard lists them.</summary>
    public static IReadOnlyList<string> Types { get; } =
    [
        "text", "editor", "number", "bool", "email", "url", "date", "autodate",
        "select", "file", "relation", "json", "geoPoint", "password",
    ];

    /// <summary>A new field with default options, or null for an unknown type (type names are case-sensitive).</summary>
    public static Field? Create(string type) => type switch
    {
        "text" => new TextField(),
        "editor" => new EditorField(),
        "number" => new NumberField(),
        "bool" => new BoolField(),
        "email" => new EmailField(),
        "url" => new UrlField(),
        "date" => new DateField(),
        "autodate" => new AutodateField(),
        "select" => new SelectField(),
        "file" => new FileField(),
        "relation" => new RelationField(),
        "json" => new JsonField(),
        "geoPoint" => new GeoPointField(),
        "password" => new PasswordField(),
        _ => null,
    };
}
