//! Viewer tests driven by egui_kittest (written next).
