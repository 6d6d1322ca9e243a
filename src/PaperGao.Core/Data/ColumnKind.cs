namespace PaperGao.Core.Data;

/// <summary>How a field is stored: the dialect maps each kind to a column type.</summary>
public enum ColumnKind
{
    /// <summary>A string, NOT NULL DEFAULT ''.</summary>
    Text,
    /// <summary>A float64, NOT NULL DEFAULT 0.</summary>
    Number,
    /// <summary>A boolean, NOT NULL DEFAULT false.</summary>
    Bool,
    /// <summary>A JSON array of strings (multi select/relation/file), NOT NULL DEFAULT '[]'.</summary>
    JsonArray,
    /// <summary>Any JSON value, nullable (json field).</summary>
    Json,
    /// <summary>A JSON object {"lon","lat"} (geoPoint), NOT NULL.</summary>
    JsonObject,
}
