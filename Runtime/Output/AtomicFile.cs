using System.Text;

namespace BioLang.Runtime.Output;

/// <summary>
/// Writes files so that readers only ever see the old content or the complete new content:
/// data goes to a hidden temporary file in the target's directory (same file system, so the
/// final rename is atomic) and replaces the target only once everything has been written.
/// A run that crashes or throws half-way therefore never leaves a truncated result behind.
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Runs <paramref name="write"/> against a temporary file and then renames it over
    /// <paramref name="path"/>. If <paramref name="write"/> throws, the temporary file is
    /// deleted, the exception propagates and <paramref name="path"/> is left untouched.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var pending = Begin(path);
        write(pending.Stream);
        pending.Commit();
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, s => s.Write(Utf8NoBom.GetBytes(text)));
    }

    /// <summary>
    /// Opens a temporary file for <paramref name="path"/>. Call <see cref="PendingFile.Commit"/>
    /// to publish it; disposing without committing discards it. This form exists for writers
    /// whose data cannot be captured by a lambda (e.g. <see cref="ReadOnlySpan{T}"/>).
    /// </summary>
    public static PendingFile Begin(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var target = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(target)
            ?? throw new ArgumentException($"'{path}' has no parent directory.", nameof(path));
        Directory.CreateDirectory(directory);
        return new PendingFile(target, directory);
    }

    /// <summary>A temporary file that either replaces its target on commit or vanishes on dispose.</summary>
    internal sealed class PendingFile : IDisposable
    {
        private readonly string _target;
        private readonly string _temp;
        private readonly FileStream _stream;
        private bool _committed;

        internal PendingFile(string target, string directory)
        {
            _target = target;
            // The leading dot hides the file from casual listings and globs such as "*.npy";
            // the random part keeps concurrent writers of the same target apart.
            var suffix = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64()));
            _temp = Path.Combine(directory, $".{Path.GetFileName(target)}.{suffix}.tmp");
            _stream = new FileStream(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        }

        public Stream Stream => _stream;

        /// <summary>Flushes the data to disk and renames the temporary file over the target.</summary>
        public void Commit()
        {
            ObjectDisposedException.ThrowIf(_committed, this);
            // Without flushing to disk, a power loss after the rename can leave an empty target:
            // the rename may reach the disk before the data does.
            if (_stream.CanWrite)
            {
                _stream.Flush(flushToDisk: true);
                _stream.Dispose();
            }
            else
            {
                // The writer closed the stream itself (e.g. a StreamWriter without leaveOpen):
                // its data reached the OS on close, but still has to be forced to disk.
                using var reopened = new FileStream(_temp, FileMode.Open, FileAccess.Write);
                reopened.Flush(flushToDisk: true);
            }
            File.Move(_temp, _target, overwrite: true);
            _committed = true;
        }

        public void Dispose()
        {
            if (_committed)
                return;
            // Best effort: the failure that brought us here is what the caller needs to see,
            // not a secondary error from flushing or deleting the abandoned temp file.
            IgnoreIoErrors(_stream.Dispose);
            IgnoreIoErrors(() => File.Delete(_temp));
        }

        private static void IgnoreIoErrors(Action action)
        {
            try
            {
                action();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
