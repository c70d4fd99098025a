pub mod io;
pub mod model;
