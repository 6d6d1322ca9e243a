using PaperGao.Core.Collections;

namespace PaperGao.Functions.Js;

/// <summary>A collection as functions see it (read-only): id, name, type, rules and field names.</summary>
public sealed class JsCollection(Collection c)
{
    internal Collection Inner => c;
    public string Id => c.Id;
    public string Name => c.Name;
    public string Type => c.Type.ToString().ToLowerInvariant();
    public bool System => c.System;
    public string? ListRule => c.ListRule;
    public string? ViewRule => c.ViewRule;
    public string? CreateRule => c.CreateRule;
    public string? UpdateRule => c.UpdateRule;
    public string? DeleteRule => c.DeleteRule;
    public string[] FieldNames() => [.. c.Fields.Select(f => f.Name)];
    public bool IsAuth() => c.IsAuth;
    public bool IsView() => c.IsView;
    public bool IsBase() => !c.IsAuth && !c.IsView;
    public override string ToString() => c.Name;
}
