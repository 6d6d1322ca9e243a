namespace PaperGao.Core.Collections;

public enum CollectionType
{
    Base,
    Auth,
    View,
}

public static class CollectionTypes
{
    public static string ToJson(this CollectionType type) => type switch
    {
        CollectionType.Auth => "auth",
        CollectionType.View => "view",
        _ => "base",
    };

    public static bool TryParse(string? value, out CollectionType type)
    {
        switch (value)
        {
            case "base": type = CollectionType.Base; return true;
            case "auth": type = CollectionType.Auth; return true;
            case "view": type = CollectionType.View; return true;
            default: type = CollectionType.Base; return false;
        }
    }
}
