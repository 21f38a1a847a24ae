//! Reading the files a user drops or picks.

use gloo::file::futures::read_as_bytes;
use gloo::file::File;

/// Reads every file of a list; a file that cannot be read (a dropped folder, a permission
/// error) is named in the second result instead.
pub async fn read_all(list: web_sys::FileList) -> (Vec<(String, Vec<u8>)>, Vec<String>) {
    let mut read = Vec::new();
    let mut failed = Vec::new();
    for index in 0..list.length() {
        let Some(file) = list.item(index) else { continue };
        // A folder's files keep their relative path, so that a folder's worth stays recognisable.
        let relative = js_sys::Reflect::get(&file, &"webkitRelativePath".into())
            .ok()
            .and_then(|v| v.as_string())
            .filter(|p| !p.is_empty());
        let file = File::from(file);
        let name = relative.unwrap_or_else(|| file.name());
        match read_as_bytes(&file).await {
            Ok(bytes) => read.push((name, bytes)),
            Err(_) => failed.push(name),
        }
    }
    (read, failed)
}
