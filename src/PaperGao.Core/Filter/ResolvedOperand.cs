namespace PaperGao.Core.Filter;

/// <summary>The type of a resolved operand, as far as comparisons care.</summary>
internal enum VType
{
    /// <summary>TEXT column / text value.</summary>
    Text,
    /// <summary>Number column (NUMERIC / DOUBLE PRECISION) or number value.</summary>
    Number,
    /// <summary>BOOLEAN column (1/0 on SQLite) or boolean SQL expression.</summary>
    Bool,
    /// <summary>A whole JSON document column compared as its JSON text (bare multi-valued fields, geoPoint).</summary>
    JsonDoc,
    /// <summary>A value extracted from JSON: its SQL type is only known at run time (SQLite json_extract), typed via the dialect on demand.</summary>
    Dynamic,
    /// <summary>SQL NULL.</summary>
    Null,
}

/// <summary>An operand resolved to SQL (or to a literal that is bound late, once the comparison domain is known).</summary>
internal sealed class Resolved
{
    public string Sql { get; init; } = "NULL";
    public VType Type { get; init; }

    /// <summary>True for literals: <see cref="Literal"/> holds string, double or bool (null for Type Null).</summary>
    public bool IsLiteral { get; init; }
    public object? Literal { get; init; }

    /// <summary>The value varies over rows of a multi-valued source (json_each, multi relation, back-relation, @collection).</summary>
    public bool IsMulti { get; init; }

    /// <summary>Non-? operators need "match all" (false for single-row sources such as the @request.auth record).</summary>
    public bool NeedsAll { get; init; }

    /// <summary>Static list of values (@request.body.x:each); compared item by item.</summary>
    public IReadOnlyList<Resolved>? StaticItems { get; init; }

    /// <summary>For Dynamic values from a JSON column: the column and the path (typed extraction per comparison domain).</summary>
    public string? JsonBase { get; init; }
    public IReadOnlyList<string>? JsonPath { get; init; }

    /// <summary>The value is a NOT NULL column of the queried table itself (not a view, not through a join): never NULL.</summary>
    public bool NotNull { get; init; }

    /// <summary>A condition that must hold as well (the auth emailVisibility check for client filters).</summary>
    public string? Guard { get; init; }

    public static Resolved Null { get; } = new() { Sql = "NULL", Type = VType.Null, IsLiteral = true };

    public static Resolved Text(string value) => new() { Type = VType.Text, IsLiteral = true, Literal = value };

    public static Resolved Number(double value) => new() { Type = VType.Number, IsLiteral = true, Literal = value };

    public static Resolved Bool(bool value) => new() { Type = VType.Bool, IsLiteral = true, Literal = value };

    public bool IsEmptyLiteral => IsLiteral && (Type == VType.Null || (Literal is string s && s.Length == 0));
}
