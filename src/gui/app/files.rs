//! Opening a file, folder, study or cohort file, and watching what it shows (the file,
//! its images, or a cohort's patient files) so the viewer reloads on change.

use super::*;

impl ViewerApp {
    pub(super) fn open(&mut self, path: PathBuf) {
        let mut doc = Document::new(path.clone());
        doc.load();
        self.status = load_status(&doc, "Opened");
        // Keep the watch and the figure only when the file is readable at all.
        if doc.timeline.is_some() || doc.cohort.is_some() || path.is_file() {
            self.recent.push(&path);
        }
        self.forget_figure();
        self.doc = Some(doc);
        self.watch = None;
        self.rewatch();
    }

    /// The files whose change reloads the document: the file, then the images it shows.
    pub(super) fn watched_files(&self) -> Vec<PathBuf> {
        let Some(doc) = &self.doc else {
            return Vec::new();
        };
        let mut files = vec![doc.path.clone()];
        if let Some(c) = &doc.cohort {
            // A cohort: its patients' files too (a study's patients name no file).
            files.extend(
                c.inputs
                    .iter()
                    .map(|(name, _)| PathBuf::from(name))
                    .filter(|p| p.is_file()),
            );
            return files;
        }
        if let (Some(tl), Some(base)) = (&doc.timeline, doc.path.parent())
            && doc.patients.is_empty()
        {
            let mut seen = std::collections::HashSet::new();
            files.extend(tl.images.iter().map(|im| base.join(&im.path)));
            files.retain(|f| seen.insert(f.clone()));
        }
        files
    }

    /// Watches [`Self::watched_files`], unless the watch already does.
    pub(super) fn rewatch(&mut self) {
        let files = self.watched_files();
        if files.is_empty() || self.watch.as_ref().is_some_and(|w| w.files() == files) {
            return;
        }
        let ctx = self.ctx.clone();
        self.watch = FileWatch::new(&files, move || ctx.request_repaint()).ok();
    }
}
