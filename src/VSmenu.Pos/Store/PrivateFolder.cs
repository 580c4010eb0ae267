namespace VSmenu.Pos.Store;

/// <summary>Folders and files only the current user may open (0700 / 0600 on Unix; Windows keeps the profile's ACLs).</summary>
public static class PrivateFolder
{
    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public static void RestrictFile(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>Writes a whole file at once (a temporary file renamed over it), readable only by the user.</summary>
    public static async Task WriteFileAsync(string path, string contents, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        await File.WriteAllTextAsync(temporary, contents, cancellationToken);
        RestrictFile(temporary);
        File.Move(temporary, path, overwrite: true);
    }
}
