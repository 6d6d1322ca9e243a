namespace PaperGao.Core.Collections.Fields;

/// <summary>A body key modifier: "name+" (Append), "+name" (Prepend), "name-" (Remove), "name:autogenerate".</summary>
public enum FieldModifier
{
    Append,
    Prepend,
    Remove,
    Autogenerate,
}
